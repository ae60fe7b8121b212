import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';

// Standalone development: `yarn start` in this package, with the sandbox running (`paved sandbox start`) and
// app-config.sandbox.yaml's settings. Auth is mocked so the API can be called directly:
//
//   curl http://localhost:7007/api/runtime-health/entity/default/component/orders-api
const backend = createBackend();
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('../src'));
backend.start();
