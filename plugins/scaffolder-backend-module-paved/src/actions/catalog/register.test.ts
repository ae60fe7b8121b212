import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import { createCatalogRegisterAction } from './register';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: { github: [{ host: 'github.com', token: 't' }] },
  }),
);
const URL_ = 'https://github.com/acme/orders/tree/main/catalog-info.yaml';
const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders' },
  spec: {},
};

function catalog(
  options: {
    registered?: boolean;
    readFails?: number;
    inCatalog?: boolean;
  } = {},
) {
  let registered = options.registered ?? false;
  let readFails = options.readFails ?? 0;
  const calls: string[] = [];
  return {
    calls,
    service: {
      addLocation: jest.fn(async (location: { dryRun?: boolean }) => {
        calls.push(location.dryRun ? 'read' : 'add');
        if (location.dryRun) {
          if (readFails-- > 0) throw new Error('Request failed with 400');
          return { location: {}, entities: [entity], exists: true };
        }
        if (registered)
          throw new ConflictError(`Location url:${URL_} already exists`);
        registered = true;
        return { location: {}, entities: [] };
      }),
      getEntityByRef: jest.fn(async () =>
        options.inCatalog ? entity : undefined,
      ),
      refreshEntity: jest.fn(async (ref: string) => {
        calls.push(`refresh ${ref}`);
      }),
      getLocationByRef: jest.fn(async (ref: string) =>
        registered && ref === `url:${URL_}`
          ? { id: '1', type: 'url', target: URL_ }
          : undefined,
      ),
    } as any,
  };
}

const run = (service: any, input: Record<string, unknown>) => {
  const ctx = createMockActionContext({ input: input as any });
  return createCatalogRegisterAction({
    catalog: service,
    integrations,
    auth: mockServices.auth(),
  })
    .handler(ctx)
    .then(() => Object.fromEntries((ctx.output as jest.Mock).mock.calls));
};

describe('paved:catalog:register', () => {
  const input = { repoContentsUrl: 'https://github.com/acme/orders/blob/main' };

  it('registers the catalog file and outputs the entity', async () => {
    const c = catalog({ inCatalog: true });
    await expect(run(c.service, input)).resolves.toEqual({
      catalogInfoUrl: URL_,
      entityRef: 'component:default/orders',
    });
    expect(c.calls).toEqual(['add', 'read']);
  });

  it('is success when an earlier attempt registered the location and failed reading it back (retry)', async () => {
    const c = catalog({ readFails: 1 });
    const first = await run(c.service, input).catch(e => e);
    expect(first.message).toBe(
      `The catalog could not register ${URL_} (Request failed with 400): retry the run, it resumes here.`,
    );
    await expect(run(c.service, input)).resolves.toMatchObject({
      entityRef: 'component:default/orders',
    });
    // The entity is not in the catalog yet (its location failed to read, so the location's own entity was never
    // processed and cannot be looked up): the location is refreshed at once, by the name the catalog gives it.
    const generated = createHash('sha1').update(`url:${URL_}`).digest('hex');
    expect(c.calls).toEqual([
      'add',
      'read',
      'add',
      'read',
      `refresh location:default/generated-${generated}`,
    ]);
  });

  it('refuses a host without an integration, and a missing repoContentsUrl', async () => {
    await expect(
      run(catalog().service, {
        repoContentsUrl: 'https://gitlab.example/acme/orders',
      }),
    ).rejects.toThrow(InputError);
    await expect(run(catalog().service, {})).rejects.toThrow(
      'Invalid input to paved:catalog:register: repoContentsUrl: Required',
    );
  });
});
