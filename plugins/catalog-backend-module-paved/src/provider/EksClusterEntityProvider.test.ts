import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { EksClient } from '@paved/plugin-paved-node';
import {
  fakeAwsHandlers,
  FakeAwsState,
} from '@paved/plugin-paved-node/testUtils';
import { setupServer } from 'msw/node';
import {
  EksClusterEntityProvider,
  EksProviderAccount,
} from './EksClusterEntityProvider';

const state: FakeAwsState = {
  defaultAccountId: '111111111111',
  clusters: {
    '111111111111': {
      'eu-west-1': [
        {
          name: 'Prod_EU',
          tags: {
            owner: 'group:payments',
            system: 'payments',
            lifecycle: 'production',
          },
        },
        { name: 'shared' },
      ],
      'us-east-1': [{ name: 'shared' }],
    },
    '222222222222': { 'eu-west-1': [{ name: 'sandbox' }] },
  },
  roles: {
    'arn:aws:iam::222222222222:role/reader': { accountId: '222222222222' },
  },
};

function setup(
  accounts: EksProviderAccount[] = [
    { accountId: '111111111111', regions: ['eu-west-1', 'us-east-1'] },
    {
      accountId: '222222222222',
      roleArn: 'arn:aws:iam::222222222222:role/reader',
      regions: ['eu-west-1'],
      clusterRoleArn: 'arn:aws:iam::222222222222:role/backstage-k8s',
    },
  ],
  retryDelaysMs?: number[],
) {
  const connection = {
    applyMutation: jest.fn(),
    refresh: jest.fn(),
  } as jest.Mocked<EntityProviderConnection>;
  const provider = new EksClusterEntityProvider({
    id: 'main',
    accounts,
    eks: new EksClient(),
    logger: mockServices.logger.mock(),
    taskRunner: { run: jest.fn() },
    ownerTag: 'owner',
    defaultOwner: 'group:platform-team',
    systemTag: 'system',
    lifecycleTag: 'lifecycle',
    defaultLifecycle: 'production',
    retryDelaysMs,
  });
  return { provider, connection };
}

describe('EksClusterEntityProvider', () => {
  const server = setupServer(...fakeAwsHandlers(state));
  registerMswTestHooks(server);
  beforeAll(() => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIADEFAULTIDENTITY';
    process.env.AWS_SECRET_ACCESS_KEY = 'default-secret';
  });

  it('emits one kubernetes-cluster Resource per cluster as a full mutation, with unique names', async () => {
    const { provider, connection } = setup();
    await provider.connect(connection);
    expect(await provider.refresh()).toEqual({ clusters: 4 });

    const mutation = connection.applyMutation.mock.calls[0][0];
    expect(mutation.type).toBe('full');
    const entities = (
      mutation as { entities: Array<{ entity: any; locationKey: string }> }
    ).entities;
    expect(entities.map(e => e.entity.metadata.name).sort()).toEqual([
      'prod-eu',
      'sandbox',
      'shared-eu-west-1',
      'shared-us-east-1',
    ]);
    expect(new Set(entities.map(e => e.locationKey))).toEqual(
      new Set(['PavedEksClusterProvider:main']),
    );

    const prod = entities.find(
      e => e.entity.metadata.name === 'prod-eu',
    )!.entity;
    expect(prod).toMatchObject({
      kind: 'Resource',
      metadata: {
        title: 'Prod_EU',
        annotations: {
          'kubernetes.io/api-server':
            'https://prodeu.gr7.eu-west-1.eks.amazonaws.com',
          'kubernetes.io/auth-provider': 'aws',
          'kubernetes.io/x-k8s-aws-id': 'Prod_EU',
          'amazonaws.com/account-id': '111111111111',
          'amazonaws.com/arn':
            'arn:aws:eks:eu-west-1:111111111111:cluster/Prod_EU',
          'backstage.io/managed-by-location':
            'url:https://console.aws.amazon.com/eks/home?region=eu-west-1#/clusters/Prod_EU',
        },
      },
      spec: {
        type: 'kubernetes-cluster',
        owner: 'group:payments',
        system: 'payments',
        lifecycle: 'production',
      },
    });
    expect(
      prod.metadata.annotations[
        'kubernetes.io/api-server-certificate-authority'
      ],
    ).toBeTruthy();

    const sandbox = entities.find(
      e => e.entity.metadata.name === 'sandbox',
    )!.entity;
    expect(sandbox.spec).toEqual({
      type: 'kubernetes-cluster',
      owner: 'group:platform-team',
      lifecycle: 'production',
    });
    expect(sandbox.metadata.annotations['kubernetes.io/aws-assume-role']).toBe(
      'arn:aws:iam::222222222222:role/backstage-k8s',
    );
    expect(sandbox.metadata.annotations['amazonaws.com/account-id']).toBe(
      '222222222222',
    );
  });

  it('changes nothing when any account or region cannot be read, so clusters are never dropped by an outage', async () => {
    const { provider, connection } = setup([
      { accountId: '111111111111', regions: ['eu-west-1'] },
      {
        accountId: '333333333333',
        roleArn: 'arn:aws:iam::333333333333:role/missing',
        regions: ['eu-west-1'],
      },
    ]);
    await provider.connect(connection);
    await expect(provider.refresh()).rejects.toThrow(
      /^EKS clusters not refreshed; the catalog keeps the last known set\. Could not read 333333333333\/eu-west-1: /,
    );
    expect(connection.applyMutation).not.toHaveBeenCalled();
  });

  it('tries a failed scheduled run again within the run, then gives up with the error', async () => {
    const { provider, connection } = setup(undefined, [0, 0]);
    const refresh = jest
      .spyOn(provider, 'refresh')
      .mockRejectedValueOnce(new Error('credential chain not ready'))
      .mockResolvedValueOnce({ clusters: 3 });
    await provider.connect(connection);
    const { fn } = (provider as any).options.taskRunner.run.mock.calls[0][0];
    await fn();
    expect(refresh).toHaveBeenCalledTimes(2);

    refresh.mockReset().mockRejectedValue(new Error('still down'));
    await expect(fn()).rejects.toThrow('still down');
    expect(refresh).toHaveBeenCalledTimes(3);
  });

  it('stops waiting to try again when the backend stops', async () => {
    const { provider, connection } = setup(undefined, [60_000]);
    const refresh = jest
      .spyOn(provider, 'refresh')
      .mockRejectedValue(new Error('credential chain not ready'));
    await provider.connect(connection);
    const { fn } = (provider as any).options.taskRunner.run.mock.calls[0][0];
    const abort = new AbortController();
    const run = fn(abort.signal);
    await new Promise(resolve => setImmediate(resolve));
    abort.abort();
    await expect(run).rejects.toThrow('credential chain not ready');
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('schedules its refresh with the task runner it was given', async () => {
    const { provider, connection } = setup();
    const taskRunner = (provider as any).options.taskRunner;
    await provider.connect(connection);
    expect(taskRunner.run).toHaveBeenCalledWith({
      id: 'PavedEksClusterProvider:main:refresh',
      fn: expect.any(Function),
    });
  });
});
