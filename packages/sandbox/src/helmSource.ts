import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { helm } from '@paved/template-check';
import { parseAllDocuments } from 'yaml';
import type { RepoStore } from './github/repos';

const run = promisify(execFile);

/** What Argo CD's repo server makes of an Application's Helm source: the objects, or why it could not. */
export type RenderedSource =
  | { ok: true; revision: string; objects: any[] }
  | { ok: false; revision?: string; message: string };

/** The sandbox's GitHub: its repositories and the hosts (`127.0.0.1:7440`) it serves them at. */
export interface SandboxGit {
  repos: RepoStore;
  hosts: () => string[];
}

/** The repository an Application's `repoURL` names, when it is a URL of the sandbox's GitHub and holds it. */
export function sandboxRepository(
  repoURL: unknown,
  { repos, hosts }: SandboxGit,
): { owner: string; name: string } | undefined {
  try {
    const url = new URL(String(repoURL));
    // github.com/paved-demo/x is GitHub's, even when the sandbox has a repository of that name.
    if (!hosts().includes(url.host)) return undefined;
    const [owner, repo] = url.pathname.split('/').filter(Boolean);
    const name = repo?.replace(/\.git$/, '');
    return owner && name && repos.exists(owner, name)
      ? { owner, name }
      : undefined;
  } catch {
    return undefined;
  }
}

const SAFE = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[\w.\-/]+$/;

/**
 * Renders an Application's source as Argo CD's repo server does for a Helm chart: the repository at
 * `targetRevision`, the chart at `path`, `helm template <releaseName or app name> --namespace <destination>` with
 * each `helm.valueFiles` entry (relative to the chart, as Argo CD reads them), by real Helm. Messages follow Argo
 * CD's ComparisonError wording so a broken chart reads as it would in Argo CD.
 */
export async function renderHelmSource(
  app: any,
  git: SandboxGit,
): Promise<RenderedSource> {
  const { repos } = git;
  const source = app.spec?.source ?? {};
  const repo = sandboxRepository(source.repoURL, git);
  if (!repo)
    return {
      ok: false,
      message: `repository not found: ${String(source.repoURL).slice(0, 200)}`,
    };
  const chartPath = String(source.path ?? '.');
  const valueFiles: string[] = (source.helm?.valueFiles ?? []).map(String);
  for (const p of [chartPath, ...valueFiles]) {
    if (p !== '.' && !SAFE.test(p))
      return {
        ok: false,
        message: `${p}: path must stay inside the repository`,
      };
  }
  const gitDir = repos.dir(repo.owner, repo.name);
  const wanted = String(source.targetRevision ?? 'HEAD');
  let revision: string | undefined;
  for (const ref of wanted === 'HEAD'
    ? ['HEAD']
    : [`refs/heads/${wanted}`, `refs/tags/${wanted}`, wanted]) {
    revision = await repos.resolve(gitDir, ref);
    if (revision) break;
  }
  if (!revision)
    return {
      ok: false,
      message: `unable to resolve '${wanted}' to a commit SHA`,
    };
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-argocd-'));
  try {
    const env = {
      ...process.env,
      GIT_DIR: gitDir,
      GIT_INDEX_FILE: path.join(work, 'index'),
      GIT_WORK_TREE: path.join(work, 'src'),
    };
    await fs.mkdir(path.join(work, 'src'));
    try {
      await run('git', ['read-tree', `${revision}:${chartPath}`], {
        env,
        timeout: 30_000,
      });
    } catch {
      return {
        ok: false,
        revision,
        message: `${chartPath}: app path does not exist`,
      };
    }
    await run('git', ['checkout-index', '-a', '-f'], {
      env,
      cwd: path.join(work, 'src'),
      timeout: 30_000,
    });
    const chart = path.join(work, 'src');
    const namespace = String(app.spec?.destination?.namespace ?? 'default');
    const release = String(source.helm?.releaseName ?? app.metadata.name);
    const result = await helm([
      'template',
      release,
      chart,
      '--namespace',
      namespace,
      ...valueFiles.flatMap(f => ['--values', path.join(chart, f)]),
    ]);
    if (!result.ok) {
      return {
        ok: false,
        revision,
        message: `Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = \`helm template . --name-template ${release} --namespace ${namespace}${valueFiles
          .map(f => ` --values ${f}`)
          .join('')}\` failed exit status 1: ${result.stderr
          .split(chart)
          .join('.')
          .trim()}`,
      };
    }
    const objects = parseAllDocuments(result.stdout)
      .map(d => d.toJS())
      .filter(o => o && typeof o === 'object' && o.kind)
      .map(o => ({
        ...o,
        metadata: {
          ...o.metadata,
          namespace: o.metadata?.namespace ?? namespace,
          // Argo CD's default resource tracking.
          labels: {
            ...o.metadata?.labels,
            'app.kubernetes.io/instance': app.metadata.name,
          },
        },
      }));
    return { ok: true, revision, objects };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
