import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { EntityHealth } from '@paved/plugin-paved-common';
import type { ReactElement } from 'react';
import { runtimeHealthApiRef, type RuntimeHealthApi } from '../api';
import { ordersApi } from './fixtures';

/** An API that answers from a queue (the last answer repeats) and records what it was asked. */
export function fakeApi(...answers: (EntityHealth | Error)[]) {
  const calls: string[] = [];
  const api: RuntimeHealthApi = {
    async getEntityHealth(entityRef) {
      calls.push(entityRef);
      const answer = answers.length > 1 ? answers.shift()! : answers[0];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { api, calls };
}

/** Renders a runtime-health view for an entity inside a test app with the given API. */
export function renderForEntity(
  element: ReactElement,
  api: RuntimeHealthApi,
  entity: Entity = ordersApi,
) {
  return renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    { apis: [[runtimeHealthApiRef, api]] },
  );
}
