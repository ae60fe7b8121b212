#!/usr/bin/env node
// The fresh-app install test: Paved installed into a Backstage app nobody here wrote, as a platform team installs it.
//
//   1. pack every publishable package (scripts/pack.mjs) — the tarballs `npm publish` would upload;
//   2. create an app with `@backstage/create-app` at the release we support (backstage.json);
//   3. apply the wiring the READMEs document, read from their "## Install" sections (the `yarn --cwd … add` lines,
//      the `backend.add(import(…))` lines and the modules they replace), with the tarballs standing in for the npm
//      registry (root `resolutions`), then one `yarn install`;
//   4. build the app's frontend, start the sandbox with the installed `paved` CLI and the app's backend (development
//      mode, as `yarn start` runs it) on PostgreSQL;
//   5. prove over HTTP: the Paved actions are listed; runtime-health answers for a sandbox entity to its owner and
//      refuses another team (the shipped policy is in force); template-sync lists its fleet; the frontend bundle the
//      backend serves contains the Runtime tab; and no Backstage package got a second copy from Paved's ranges.
//
//   node scripts/fresh-app.mjs            (PostgreSQL from BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)
//
// Prints what each step took and exits non-zero on the first failed proof. Without PostgreSQL it says so and skips,
// except under CI=true where that is a failure. The work folder is PAVED_FRESH_APP_DIR (default: a temporary one).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  dropDatabases,
  sandboxUpstreams,
  startSandboxWithCatalog,
  until,
} from '../bench/lib/production.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BACKEND_PORT = 7307;
// The development sandbox's port: the seeded repositories record their template at 127.0.0.1:7440, so the fleet job
// reads the template the sandbox serves (CI runs this after the browser tests, whose sandbox it is, have stopped).
const SANDBOX_PORT = 7440;
const DATABASE_PREFIX = 'paved_fresh_app_';
// The create-app of the Backstage release in backstage.json (each release ships one; the check below compares).
const CREATE_APP_VERSION = '0.9.2';
// A static token the checks use as an external caller (a service principal: Backstage allows it before any policy).
const CHECK_TOKEN = 'paved-fresh-app-check-token-0123456789';

const connection =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
if (!connection) {
  const message =
    'fresh-app: skipped: set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=postgresql://postgres@127.0.0.1:5432 to run it.';
  console.error(message);
  process.exit(process.env.CI ? 1 : 0);
}
const pgUrl = new URL(connection);
const postgres = {
  host: pgUrl.hostname,
  port: Number(pgUrl.port || 5432),
  user: decodeURIComponent(pgUrl.username || 'postgres'),
  password: decodeURIComponent(pgUrl.password),
};

const work =
  process.env.PAVED_FRESH_APP_DIR ??
  fs.mkdtempSync(path.join(os.tmpdir(), 'paved-fresh-app-'));
const appDir = path.join(work, 'app');
fs.rmSync(appDir, { recursive: true, force: true });
const timings = {};
const started = Date.now();
async function step(name, fn) {
  const at = Date.now();
  process.stderr.write(`fresh-app: ${name}…\n`);
  const value = await fn();
  timings[name] = Date.now() - at;
  process.stderr.write(
    `fresh-app: ${name} took ${(timings[name] / 1000).toFixed(1)} s\n`,
  );
  return value;
}
function run(cmd, args, cwd, { env = {}, timeoutMinutes = 10 } = {}) {
  try {
    return execFileSync(cmd, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
      timeout: timeoutMinutes * 60_000,
      env: { ...process.env, ...env },
    });
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.slice(-6000);
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${
        error.message.split('\n')[0]
      }):\n${output}`,
    );
  }
}
function fail(message) {
  throw new Error(`fresh-app: ${message}`);
}

/** What the READMEs' "## Install" sections say to do. */
function readInstallSections() {
  const adds = []; // { workspace, name, dev }
  const backendAdds = [];
  const replaced = [];
  const readmes = [
    ...fs
      .readdirSync(path.join(root, 'plugins'))
      .map(d => path.join(root, 'plugins', d, 'README.md')),
    path.join(root, 'packages/cli/README.md'),
  ].filter(f => fs.existsSync(f));
  for (const file of readmes) {
    const text = fs.readFileSync(file, 'utf8');
    const section = text.match(
      /^## Install\n([\s\S]*?)(?=^## |(?![\s\S]))/m,
    )?.[1];
    if (!section) continue;
    for (const m of section.matchAll(
      /^yarn (?:--cwd (\S+) )?add (--dev )?(@paved\/[\w-]+)/gm,
    ))
      adds.push({ workspace: m[1] ?? '.', dev: !!m[2], name: m[3] });
    for (const m of section.matchAll(
      /^(\/\/ instead of )?backend\.add\(import\('([^']+)'\)\);$/gm,
    ))
      (m[1] ? replaced : backendAdds).push(m[2]);
  }
  return { adds, backendAdds, replaced };
}

const procs = [];
let exitCode = 0;
try {
  const { packages } = await step('pack', () =>
    JSON.parse(
      run(
        process.execPath,
        [path.join(root, 'scripts/pack.mjs'), path.join(work, 'packs')],
        root,
      )
        .trim()
        .split('\n')
        .pop(),
    ),
  );

  const release = JSON.parse(
    fs.readFileSync(path.join(root, 'backstage.json'), 'utf8'),
  ).version;
  const createApp = await step('create-app', () => {
    const version = process.env.PAVED_CREATE_APP_VERSION ?? CREATE_APP_VERSION;
    run(
      'npx',
      [
        '--yes',
        `@backstage/create-app@${version}`,
        '--path',
        appDir,
        '--skip-install',
      ],
      work,
      {
        env: {
          BACKSTAGE_APP_NAME: 'fresh-app',
          GIT_AUTHOR_NAME: 'fresh-app',
          GIT_AUTHOR_EMAIL: 'fresh-app@example.com',
          GIT_COMMITTER_NAME: 'fresh-app',
          GIT_COMMITTER_EMAIL: 'fresh-app@example.com',
        },
      },
    );
    const made = JSON.parse(
      fs.readFileSync(path.join(appDir, 'backstage.json'), 'utf8'),
    ).version;
    if (made !== release)
      fail(
        `@backstage/create-app@${version} made a Backstage ${made} app; this repository supports ${release}`,
      );
    return version;
  });

  const wiring = readInstallSections();
  await step('wire', () => {
    const readJson = f => JSON.parse(fs.readFileSync(f, 'utf8'));
    const writeJson = (f, v) =>
      fs.writeFileSync(f, `${JSON.stringify(v, null, 2)}\n`);
    const rootPkgFile = path.join(appDir, 'package.json');
    const rootPkg = readJson(rootPkgFile);
    // The tarballs stand in for the npm registry: every @paved range resolves to its packed tarball.
    rootPkg.resolutions = {
      ...rootPkg.resolutions,
      ...Object.fromEntries(
        Object.entries(packages).map(([name, { file }]) => [
          name,
          `file:${file}`,
        ]),
      ),
    };
    writeJson(rootPkgFile, rootPkg);
    for (const { workspace, name, dev } of wiring.adds) {
      if (!packages[name])
        fail(`a README installs ${name}, which is not a publishable package`);
      const file = path.join(appDir, workspace, 'package.json');
      const pkg = readJson(file);
      const field = dev ? 'devDependencies' : 'dependencies';
      // What `yarn add` writes: a caret range on the published version.
      pkg[field] = { ...pkg[field], [name]: `^${packages[name].version}` };
      writeJson(file, pkg);
    }
    // create-app seeds yarn.lock from GitHub (seed-yarn.lock), which is not reachable here; this repository's lock pins
    // the same Backstage release, so it is the seed (yarn keeps what still matches and drops the rest).
    fs.copyFileSync(
      path.join(root, 'yarn.lock'),
      path.join(appDir, 'yarn.lock'),
    );
    const indexFile = path.join(appDir, 'packages/backend/src/index.ts');
    let index = fs.readFileSync(indexFile, 'utf8');
    for (const name of wiring.replaced) {
      const line = new RegExp(
        `backend\\.add\\(\\s*import\\('${name.replace(
          /[/.-]/g,
          '\\$&',
        )}'\\),?\\s*\\);\\n`,
      );
      if (!line.test(index))
        fail(`a README replaces ${name}, which the new app does not add`);
      index = index.replace(line, '');
    }
    const missing = wiring.backendAdds.filter(
      n => !index.includes(`import('${n}')`),
    );
    index = index.replace(
      'backend.start();',
      `${missing
        .map(n => `backend.add(import('${n}'));`)
        .join('\n')}\n\nbackend.start();`,
    );
    fs.writeFileSync(indexFile, index);
    return undefined;
  });

  await step('install', () =>
    run('yarn', ['install'], appDir, {
      env: { YARN_ENABLE_IMMUTABLE_INSTALLS: 'false', CI: '' },
      timeoutMinutes: 15,
    }),
  );

  await step('duplicates', () => {
    // Paved's ranges must be satisfied by the release's own versions: a nested @backstage copy under a Paved
    // package means a range asked for something the app does not have.
    const nested = [];
    const scope = path.join(appDir, 'node_modules/@paved');
    for (const dir of fs.readdirSync(scope)) {
      const inner = path.join(scope, dir, 'node_modules/@backstage');
      if (fs.existsSync(inner))
        for (const dep of fs.readdirSync(inner))
          nested.push(`@paved/${dir} → @backstage/${dep}`);
    }
    if (nested.length)
      fail(
        `Paved's ranges pulled second copies of Backstage packages:\n  ${nested.join(
          '\n  ',
        )}`,
      );
    return undefined;
  });

  await step('build-frontend', () =>
    run('yarn', ['workspace', 'app', 'build'], appDir, { timeoutMinutes: 15 }),
  );

  const sandbox = await step('sandbox', () =>
    startSandboxWithCatalog(SANDBOX_PORT, {
      bin: path.join(appDir, 'node_modules/.bin/paved'),
    }),
  );
  procs.push(sandbox);

  await dropDatabases(postgres, DATABASE_PREFIX);
  const base = `http://localhost:${BACKEND_PORT}`;
  const upstreams = sandboxUpstreams(sandbox.sandboxUrl);
  const config = {
    app: { baseUrl: base },
    backend: {
      baseUrl: base,
      listen: { port: BACKEND_PORT },
      database: {
        client: 'pg',
        connection: { ...postgres },
        prefix: DATABASE_PREFIX,
      },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: CHECK_TOKEN, subject: 'fresh-app-check' },
          },
        ],
      },
    },
    ...upstreams,
    auth: {
      providers: {
        guest: {},
        'paved-dev': { users: ['ada', 'omar'] },
      },
    },
    permission: { enabled: true },
    kubernetes: {
      ...upstreams.kubernetes,
      serviceLocatorMethod: { type: 'multiTenant' },
    },
    paved: {
      ...upstreams.paved,
      templateSync: {
        allowedSources: [`${sandbox.sandboxUrl}/paved-demo`],
        schedule: {
          frequency: { hours: 24 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 5 },
        },
      },
    },
    catalog: {
      ...upstreams.catalog,
      rules: [
        {
          allow: [
            'Component',
            'System',
            'API',
            'Resource',
            'Location',
            'Group',
            'User',
            'Template',
          ],
        },
      ],
      locations: [{ type: 'url', target: sandbox.catalogUrl }],
    },
  };
  fs.writeFileSync(
    path.join(appDir, 'app-config.local.yaml'),
    JSON.stringify(config, null, 2),
  );

  await step('backend-ready', async () => {
    const child = spawn('yarn', ['workspace', 'backend', 'start'], {
      cwd: appDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        AWS_ACCESS_KEY_ID: 'AKIAPAVEDSANDBOX0001',
        AWS_SECRET_ACCESS_KEY: 'paved-sandbox-secret',
        AWS_REGION: 'eu-west-1',
      },
    });
    let logs = '';
    const keep = chunk => {
      logs = (logs + chunk).slice(-30_000);
    };
    child.stdout.setEncoding('utf8').on('data', keep);
    child.stderr.setEncoding('utf8').on('data', keep);
    const exited = new Promise(resolve => child.once('exit', resolve));
    const stop = async () => {
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        await Promise.race([exited, new Promise(r => setTimeout(r, 10_000))]);
        if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
      }
    };
    procs.push({ stop });
    try {
      await until(
        'the new app’s backend',
        async () => {
          // `backstage-cli package start` outlives a failed start (it watches for changes): the log tells.
          if (
            child.exitCode !== null ||
            logs.includes('Backend startup failed')
          )
            throw Object.assign(new Error('it failed'), { fatal: true });
          return (await fetch(`${base}/.backstage/health/v1/readiness`)).ok;
        },
        240,
      );
    } catch (error) {
      fail(`the backend did not start (${error.message}):\n${logs}`);
    }
  });

  const checks = {};
  const service = { authorization: `Bearer ${CHECK_TOKEN}` };
  const getJson = async (url, headers) => {
    const res = await fetch(`${base}${url}`, { headers });
    const text = await res.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, body };
  };
  await step('checks', async () => {
    // 1. The Paved actions are installed in the scaffolder.
    const actions = await getJson('/api/scaffolder/v2/actions', service);
    if (actions.status !== 200)
      fail(`GET /api/scaffolder/v2/actions answered ${actions.status}`);
    const ids = actions.body.map(a => a.id);
    const expected = [
      'paved:preflight',
      'paved:template:fetch',
      'paved:template:update',
      'paved:template:adopt',
      'paved:namespace:provision',
      'paved:argocd:register',
    ];
    const absent = expected.filter(id => !ids.includes(id));
    if (absent.length)
      fail(
        `the scaffolder does not list ${absent.join(', ')} (it lists ${ids.join(
          ', ',
        )})`,
      );
    checks.actions = expected;

    // 2. Runtime health for a sandbox entity, once the catalog has read it: its owner gets a verdict from the
    //    sandbox's clusters, another team is refused by the shipped policy.
    const signIn = async user => {
      const res = await fetch(
        `${base}/api/auth/paved-dev/refresh?user=${user}`,
        {
          headers: { 'x-requested-with': 'XMLHttpRequest' },
        },
      );
      if (!res.ok)
        fail(
          `signing in as ${user} answered ${res.status}: ${await res.text()}`,
        );
      return {
        authorization: `Bearer ${(await res.json()).backstageIdentity.token}`,
      };
    };
    const entity = '/api/runtime-health/entity/default/component/payments-api';
    const owner = await until(
      'payments-api in the catalog and its verdict',
      async () => {
        const r = await getJson(entity, await signIn('ada'));
        return r.status === 200 && r.body.sources?.kubernetes?.status === 'ok'
          ? r
          : undefined;
      },
      180,
    );
    const other = await getJson(entity, await signIn('omar'));
    if (other.status !== 403)
      fail(
        `runtime-health answered ${other.status} to omar (orders-team) for payments-api; the policy should refuse`,
      );
    checks.runtimeHealth = {
      verdict: owner.body.verdict,
      confidence: owner.body.confidence,
      deployed: owner.body.deployment?.deployed,
      otherTeam: other.status,
    };

    // 3. Template sync lists its fleet once the scheduled job has run: the catalog's three template instances.
    const wanted = [
      'component:default/ledger-worker',
      'component:default/orders-api',
      'component:default/payments-api',
    ];
    let last;
    const fleet = await until(
      'the fleet job’s first run',
      async () => {
        last = await getJson('/api/template-sync/fleet', service);
        const refs = (last.body.instances ?? []).map(i => i.entityRef);
        return last.status === 200 &&
          wanted.every(r => refs.includes(r)) &&
          last.body.instances.every(i => i.lastCheckedAt)
          ? last
          : undefined;
      },
      120,
    ).catch(() =>
      fail(
        `GET /api/template-sync/fleet does not list ${wanted.join(', ')}: ${
          last?.status
        } ${JSON.stringify(last?.body)}`,
      ),
    );
    // The job did its work with the installed packages: no instance failed, and the one behind its template
    // (payments-api, v1.0.0) got its update pull request, rendered in the render process of the packed engine.
    const failed = fleet.body.instances.filter(i => i.status === 'error');
    if (failed.length)
      fail(
        `the fleet job failed on ${failed
          .map(i => `${i.entityRef} (${i.error})`)
          .join(', ')}`,
      );
    const behind = fleet.body.instances.find(
      i => i.entityRef === 'component:default/payments-api',
    );
    if (!['pull-request', 'conflicts'].includes(behind.status))
      fail(
        `payments-api is behind its template but its state is ${behind.status}, not an update pull request`,
      );
    checks.fleet = fleet.body.instances
      .map(i => `${i.entityRef} ${i.status}${i.error ? `: ${i.error}` : ''}`)
      .sort();

    // 4. The frontend the backend serves carries the Runtime tab (the runtime-health plugin, discovered through
    //    app.packages: all).
    const html = await (await fetch(`${base}/`)).text();
    const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map(
      m => m[1],
    );
    if (!scripts.length)
      fail('the backend serves no app (no <script> in index.html)');
    // The chunk names come from the build's output folder; their contents from the backend.
    const chunks = fs
      .readdirSync(path.join(appDir, 'packages/app/dist/static'))
      .filter(f => f.endsWith('.js'));
    let found;
    for (const chunk of chunks) {
      const res = await fetch(`${base}/static/${chunk}`);
      if (!res.ok) fail(`GET /static/${chunk} answered ${res.status}`);
      const js = await res.text();
      if (js.includes('runtime-health') && /title:\s*"Runtime"/.test(js)) {
        found = chunk;
        break;
      }
    }
    if (!found)
      fail('no chunk of the served frontend bundle defines the Runtime tab');
    checks.frontend = {
      entryScripts: scripts.length,
      runtimeTabIn: `static/${found}`,
    };
    return undefined;
  });

  console.log(
    JSON.stringify(
      {
        createApp,
        release,
        wiring: {
          added: wiring.adds.map(
            a => `${a.workspace}${a.dev ? ' (dev)' : ''}: ${a.name}`,
          ),
          backend: wiring.backendAdds,
          replaced: wiring.replaced,
        },
        checks,
        timingsMs: timings,
        totalMs: Date.now() - started,
      },
      null,
      2,
    ),
  );
} catch (error) {
  console.error(error.message);
  exitCode = 1;
} finally {
  for (const p of procs.reverse()) await p.stop().catch(() => undefined);
  await dropDatabases(postgres, DATABASE_PREFIX).catch(() => undefined);
  if (!process.env.PAVED_FRESH_APP_DIR)
    fs.rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
