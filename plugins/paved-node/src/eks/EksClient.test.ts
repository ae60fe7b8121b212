import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { setupServer } from 'msw/node';
import { fakeAwsHandlers, FakeAwsState } from '../testUtils';
import { EksClient } from './EksClient';

const state: FakeAwsState = {
  defaultAccountId: '111111111111',
  clusters: {
    '111111111111': {
      'eu-west-1': Array.from({ length: 250 }, (_, i) => ({
        name: `cluster-${i}`,
      })),
      'us-east-1': [{ name: 'Prod_US', tags: { owner: 'group:payments' } }],
    },
    '222222222222': { 'eu-west-1': [{ name: 'shared' }] },
  },
  roles: {
    'arn:aws:iam::222222222222:role/reader': {
      accountId: '222222222222',
      externalId: 'ext-1',
    },
  },
};

describe('EksClient', () => {
  const server = setupServer(...fakeAwsHandlers(state));
  registerMswTestHooks(server);

  beforeAll(() => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIADEFAULTIDENTITY';
    process.env.AWS_SECRET_ACCESS_KEY = 'default-secret';
  });
  beforeEach(() => {
    state.calls = {};
  });

  it('follows every ListClusters page', async () => {
    const names = await new EksClient().listClusterNames({}, 'eu-west-1');
    expect(names).toHaveLength(250);
    expect(names[249]).toBe('cluster-249');
    expect(state.calls?.ListClusters).toBe(3);
  });

  it('describes clusters with endpoint, CA, tags and the account from the ARN', async () => {
    const [cluster] = await new EksClient().listClusters({}, 'us-east-1');
    expect(cluster).toMatchObject({
      name: 'Prod_US',
      arn: 'arn:aws:eks:us-east-1:111111111111:cluster/Prod_US',
      accountId: '111111111111',
      region: 'us-east-1',
      endpoint: 'https://produs.gr7.us-east-1.eks.amazonaws.com',
      status: 'ACTIVE',
      tags: { owner: 'group:payments' },
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    expect(
      Buffer.from(cluster.certificateAuthority!, 'base64').toString(),
    ).toContain('BEGIN CERTIFICATE');
  });

  it('assumes the configured role, with its external id, to read another account', async () => {
    const client = new EksClient();
    const access = {
      accountId: '222222222222',
      roleArn: 'arn:aws:iam::222222222222:role/reader',
      externalId: 'ext-1',
    };
    const [first, second, otherRegion] = await Promise.all([
      client.listClusterNames(access, 'eu-west-1'),
      client.listClusterNames(access, 'eu-west-1'),
      client.listClusterNames(access, 'us-east-1'),
    ]);
    expect([first, second, otherRegion]).toEqual([['shared'], ['shared'], []]);
    expect(await client.listClusterNames(access, 'eu-west-1')).toEqual([
      'shared',
    ]);
    // one AssumeRole for every region and concurrent call, reused until shortly before expiry
    expect(state.calls?.AssumeRole).toBe(1);
  });

  it('fails clearly when the role cannot be assumed', async () => {
    const access = {
      roleArn: 'arn:aws:iam::222222222222:role/reader',
      externalId: 'wrong',
    };
    await expect(
      new EksClient().listClusterNames(access, 'eu-west-1'),
    ).rejects.toThrow(/Not authorized to perform sts:AssumeRole/);
  });

  it('turns an unknown cluster into a NotFoundError', async () => {
    const error = await new EksClient()
      .describeCluster({}, 'eu-west-1', 'nope')
      .catch(e => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toMatch(
      /^EKS cluster nope not found in eu-west-1; caused by ResourceNotFoundException/,
    );
  });
});
