import fs from 'node:fs';
import { createEksToken } from '@paved/plugin-paved-node';
import type { Sandbox } from '../index';

/** An EKS bearer token for a seeded cluster, made with the sandbox's AWS keys, as a client gets one from EKS. */
export function sandboxToken(sandbox: Sandbox, cluster: string) {
  return createEksToken({
    clusterName: cluster,
    region: 'eu-west-1',
    credentials: {
      accessKeyId: sandbox.seed.aws.accessKeyId,
      secretAccessKey: sandbox.seed.aws.secretAccessKey,
    },
  });
}

/** Writes a kubeconfig for one seeded cluster (TLS with the sandbox's CA, an EKS token), as kubectl and others read it. */
export async function writeKubeconfig(
  sandbox: Sandbox,
  cluster: string,
  file: string,
): Promise<string> {
  fs.writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: cluster,
          cluster: {
            server: `${sandbox.tlsUrl}/k8s/${cluster}`,
            'certificate-authority-data': Buffer.from(sandbox.caPem).toString(
              'base64',
            ),
          },
        },
      ],
      users: [
        {
          name: 'paved',
          user: { token: await sandboxToken(sandbox, cluster) },
        },
      ],
      contexts: [{ name: cluster, context: { cluster, user: 'paved' } }],
      'current-context': cluster,
    }),
  );
  return file;
}
