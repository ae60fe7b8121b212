import type { Entity } from '@backstage/catalog-model';

const group = (name: string, parent?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [], ...(parent ? { parent } : {}) },
  relations: parent
    ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
    : [],
});

const user = (name: string, memberOf: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf },
  relations: memberOf.map(g => ({
    type: 'memberOf',
    targetRef: `group:default/${g}`,
  })),
});

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
  relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
});

/**
 * A small organisation: payments (with a child team payments-backend), orders, and the platform team (admins, with a
 * child team platform-sre). Alice is in payments, Bob in orders, Dave in payments-backend, Carol in platform-sre.
 */
export const ORG_ENTITIES: Entity[] = [
  group('payments'),
  group('payments-backend', 'payments'),
  group('orders'),
  group('platform-team'),
  group('platform-sre', 'platform-team'),
  user('alice', ['payments']),
  user('bob', ['orders']),
  user('dave', ['payments-backend']),
  user('carol', ['platform-sre']),
  component('payments-api', 'payments'),
  component('orders-api', 'orders'),
];

export const ADMINS = ['group:default/platform-team'];
