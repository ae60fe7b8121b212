import { createEksToken, EksTokenProvider } from './EksTokenProvider';

// aws-iam-authenticator pkg/token/token_test.go, TestGetWithSTS
const VECTOR = {
  accessKeyId: 'ASIAR2TG44V6AS3ZZE7C',
  secretAccessKey: '4KD5cntGcVmLWRdF5wvNRuzNL5Qxmp6OKVY6Fz/Q',
  signingDate: new Date(1682640000 * 1000),
};

function decode(token: string): URL {
  expect(token.startsWith('k8s-aws-v1.')).toBe(true);
  return new URL(
    Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString(
      'utf8',
    ),
  );
}

describe('createEksToken', () => {
  it('reproduces the aws-iam-authenticator test vector', async () => {
    const token = await createEksToken({
      clusterName: 'test-cluster',
      region: 'us-west-2',
      credentials: {
        accessKeyId: VECTOR.accessKeyId,
        secretAccessKey: VECTOR.secretAccessKey,
      },
      signingDate: VECTOR.signingDate,
    });
    const url = decode(token);
    expect(url.host).toBe('sts.us-west-2.amazonaws.com');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential':
        'ASIAR2TG44V6AS3ZZE7C/20230428/us-west-2/sts/aws4_request',
      'X-Amz-Date': '20230428T000000Z',
      'X-Amz-Expires': '60',
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
    });
    const signature = url.searchParams.get('X-Amz-Signature')!;
    expect(signature.startsWith('e211dba77aba')).toBe(true);
    expect(signature.endsWith('747f5ce')).toBe(true);
    expect(token).not.toContain('=');
  });
});

describe('EksTokenProvider', () => {
  it('caches a token per cluster until shortly before it expires', async () => {
    let now = 1_800_000_000_000;
    const credentials = jest.fn(async () => ({
      accessKeyId: 'AKIA',
      secretAccessKey: 'secret',
    }));
    const provider = new EksTokenProvider({
      now: () => now,
      defaultCredentials: credentials,
    });

    const first = await provider.getToken('prod-eu', 'eu-west-1');
    expect(await provider.getToken('prod-eu', 'eu-west-1')).toBe(first);
    expect(
      decode(
        (await provider.getToken('dev-eu', 'eu-west-1')).token,
      ).searchParams.get('X-Amz-SignedHeaders'),
    ).toBe('host;x-k8s-aws-id');
    expect(credentials).toHaveBeenCalledTimes(2);

    now += 13 * 60_000;
    expect(await provider.getToken('prod-eu', 'eu-west-1')).toBe(first);
    now += 2 * 60_000;
    const renewed = await provider.getToken('prod-eu', 'eu-west-1');
    expect(renewed.token).not.toBe(first.token);
    expect(renewed.expiresAt.getTime()).toBe(now + 14 * 60_000);
  });
});
