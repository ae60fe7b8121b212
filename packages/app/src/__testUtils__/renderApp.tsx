import { render } from '@testing-library/react';
import App from '../App';

/**
 * Renders the whole app with the given configuration on top of the basics. The app reads its configuration once,
 * when first rendered, so each test file renders it once.
 */
export function renderApp(data: object) {
  process.env = {
    NODE_ENV: 'test',
    APP_CONFIG: [
      {
        data: {
          app: { title: 'Paved' },
          backend: { baseUrl: 'http://localhost:7007' },
          techdocs: {
            storageUrl: 'http://localhost:7007/api/techdocs/static/docs',
          },
          ...data,
        },
        context: 'test',
      },
    ] as any,
  };
  return render(App.createRoot());
}
