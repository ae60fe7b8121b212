import { Command } from 'commander';
import type { Io } from '../io';

/** `paved sandbox start`: the local stand-ins for development, the demo portal and tests. */
export function sandboxCommand(io: Io): Command {
  const sandbox = new Command('sandbox').description(
    'Local, protocol-faithful stand-ins for GitHub, EKS, Kubernetes and Argo CD (development and tests only, never production)',
  );
  sandbox
    .command('start')
    .description('Serve the sandbox on loopback until interrupted')
    .option(
      '-p, --port <port>',
      'HTTP port (TLS listens on the next one)',
      '7440',
    )
    .option(
      '--oidc-port <port>',
      'Port of the identity provider (an OpenID Provider with the seed’s users); default: HTTP port + 2',
    )
    .option(
      '--state <dir>',
      'Folder for repositories and pull requests, kept across restarts',
      '.sandbox',
    )
    .option(
      '--templates <dir>',
      'Serve the template folders of <dir> (each with a copier.yml) as the repository paved-demo/templates, tagged v1.0.0',
    )
    .option(
      '--platform <dir>',
      'Serve <dir> (reusable workflows, actions, Terraform modules with a Release Please manifest) as the repository paved-demo/platform, tagged with each component’s release',
    )
    .action(
      async (opts: {
        port: string;
        oidcPort?: string;
        state: string;
        templates?: string;
        platform?: string;
      }) => {
        const started = Date.now();
        // Loaded on demand: the sandbox is a development aid, not part of the template commands.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { defaultSeed, startSandbox, withPlatform, withTemplates } =
          require('@paved/sandbox') as typeof import('@paved/sandbox');
        let seed = defaultSeed;
        if (opts.templates) seed = withTemplates(seed, opts.templates);
        if (opts.platform) seed = withPlatform(seed, opts.platform);
        const running = await startSandbox({
          port: Number(opts.port),
          stateDir: opts.state,
          seed,
          oidc: {
            port: Number(opts.oidcPort ?? Number(opts.port) + 2),
          },
        });
        const { aws, clusters } = running.seed;
        io.out(
          [
            `Paved sandbox up in ${
              Date.now() - started
            } ms (development and tests only).`,
            `  HTTP  ${running.url}    TLS  ${running.tlsUrl}`,
            `  EKS   endpoint ${running.url}/aws/eks (regions: ${[
              ...new Set(clusters.map(c => c.region)),
            ].join(', ')})`,
            `  AWS   AWS_ACCESS_KEY_ID=${aws.accessKeyId} AWS_SECRET_ACCESS_KEY=<see packages/sandbox/src/seed.ts> (account ${aws.accountId})`,
            ...clusters.map(
              c => `  Kubernetes ${c.name}: ${running.tlsUrl}/k8s/${c.name}`,
            ),
            `  GitHub REST ${running.github.apiUrl}  git ${running.url}/${running.github.org}/gitops.git  token ${running.github.token}`,
            ...running.seed.argocd.instances.map(
              i =>
                `  Argo CD ${i.name}: ${running.url}/argocd/${i.name}  token ${i.token} (or ${i.username} / ${i.password})`,
            ),
            `  OIDC  issuer ${
              running.oidc?.issuer
            } (users: ${running.seed.oidc.users
              .map(u => `${u.username} / ${u.password}`)
              .join(', ')})`,
            `  State ${running.stateDir}`,
            `  Faults: POST ${running.url}/__sandbox/faults {"path":"^/k8s/dev-eu/","status":503}; DELETE to clear`,
            '',
          ].join('\n'),
        );
        await new Promise<void>(resolve => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await running.close();
      },
    );
  return sandbox;
}
