import type { SandboxRequest, SandboxResponse } from './http';
import { escape, page as sandboxPage } from './pages';

type App = {
  metadata: { name: string; namespace?: string; creationTimestamp?: string };
  spec: Record<string, any>;
  status?: Record<string, any>;
};

const page = (title: string, body: string, status = 200) =>
  sandboxPage('Argo CD', title, body, status);

const badge = (status: string | undefined) =>
  `<span class="state ${escape(status ?? 'Unknown')}">${escape(
    status ?? 'Unknown',
  )}</span>`;

/** A link when the text is an http(s) URL (a repository on the sandbox's GitHub opens its page), else code. */
const urlOrCode = (text: string | undefined) =>
  text && /^https?:\/\//.test(text)
    ? `<a href="${escape(text)}">${escape(text)}</a>`
    : `<code>${escape(text ?? '—')}</code>`;

const table = (head: string[], rows: string[][]) =>
  rows.length
    ? `<table><thead><tr>${head
        .map(h => `<th>${escape(h)}</th>`)
        .join('')}</tr></thead><tbody>${rows
        .map(r => `<tr>${r.map(c => `<td>${c}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`
    : '<p>None.</p>';

/**
 * Plain server-rendered pages behind the Argo CD links the golden path prints (development only, no sign-in), at the
 * real UI's addresses: `/argocd/<instance>/applications` lists the instance's applications, and
 * `/argocd/<instance>/applications/<namespace>/<name>` shows one (sync and health, source, destination, live
 * resources, sync history). An application that is not there yet says how it gets there.
 */
export function serveArgoCdPage(
  req: SandboxRequest,
  instances: Map<string, { apps: Map<string, App> }>,
  resourcesOf: (
    instance: { apps: Map<string, App> },
    app: App,
  ) => Array<{
    kind: string;
    name: string;
    health?: { status?: string; message?: string };
  }>,
): SandboxResponse | undefined {
  if (req.method !== 'GET') return undefined;
  const m = /^\/argocd\/([^/]+)\/applications(?:\/([^/]+)\/([^/]+))?\/?$/.exec(
    decodeURIComponent(req.url.pathname),
  );
  if (!m) return undefined;
  const [, instance, namespace, name] = m;
  const inst = instances.get(instance);
  if (!inst) return page('Not found', '<p>No such Argo CD instance.</p>', 404);
  const list = `/argocd/${escape(instance)}/applications`;

  if (!name) {
    const apps = [...inst.apps.values()].sort((a, b) =>
      a.metadata.name.localeCompare(b.metadata.name),
    );
    return page(
      `Applications · ${instance}`,
      `<h1>Applications <small>Argo CD ${escape(instance)}</small></h1>
${table(
  ['Application', 'Project', 'Sync', 'Health', 'Destination'],
  apps.map(a => [
    `<a href="${list}/${escape(a.metadata.namespace ?? 'argocd')}/${escape(
      a.metadata.name,
    )}">${escape(a.metadata.name)}</a>`,
    escape(a.spec.project ?? ''),
    badge(a.status?.sync?.status),
    badge(a.status?.health?.status),
    escape(
      `${a.spec.destination?.name ?? a.spec.destination?.server ?? ''} / ${
        a.spec.destination?.namespace ?? ''
      }`,
    ),
  ]),
)}`,
    );
  }

  const app = inst.apps.get(name);
  if (!app || (app.metadata.namespace ?? 'argocd') !== namespace)
    return page(
      `${name} not found`,
      `<h1>${escape(name)}</h1>
<p class="note">Argo CD ${escape(instance)} has no application ${escape(
        name,
      )} yet. It appears once the GitOps pull request that defines it is
merged and the sandbox's Argo CD has read the GitOps repository (every 2 s, or at once with
<code>POST /__sandbox/gitops/sync</code>).</p>
<p><a href="${list}">All applications of ${escape(instance)}</a></p>`,
      404,
    );

  const { source = {}, destination = {} } = app.spec;
  const status = app.status ?? {};
  const history = [...(status.history ?? [])].reverse();
  return page(
    name,
    `<h1>${escape(name)} <small>project ${escape(
      app.spec.project ?? '',
    )}</small></h1>
<p>Sync ${badge(status.sync?.status)} Health ${badge(status.health?.status)}
${
  status.sync?.revision
    ? ` at revision <code>${escape(String(status.sync.revision))}</code>`
    : ''
}</p>
${
  status.operationState
    ? `<p>Last sync: ${escape(status.operationState.phase ?? '')}, ${escape(
        status.operationState.message ?? '',
      )} (${escape(status.operationState.finishedAt ?? '')})</p>`
    : ''
}
${(status.conditions ?? [])
  .map(
    (c: { type: string; message: string }) =>
      `<div role="alert"><strong>${escape(c.type)}</strong><pre>${escape(
        c.message,
      )}</pre></div>`,
  )
  .join('\n')}
<h2>Source</h2>
<p>${urlOrCode(source.repoURL)} path <code>${escape(
      source.path ?? '/',
    )}</code> at <code>${escape(source.targetRevision ?? 'HEAD')}</code>${
      source.helm?.valueFiles?.length
        ? `, values ${source.helm.valueFiles
            .map((f: string) => `<code>${escape(f)}</code>`)
            .join(', ')}`
        : ''
    }</p>
<h2>Destination</h2>
<p>Cluster <code>${escape(
      destination.name ?? destination.server ?? '',
    )}</code>, namespace <code>${escape(destination.namespace ?? '')}</code>;
sync policy ${app.spec.syncPolicy?.automated ? 'automated' : 'manual'}.</p>
<h2>Live resources</h2>
${table(
  ['Kind', 'Name', 'Health'],
  resourcesOf(inst, app).map(r => [
    escape(r.kind),
    escape(r.name),
    `${badge(r.health?.status)} ${escape(r.health?.message ?? '')}`,
  ]),
)}
<h2>History</h2>
${table(
  ['ID', 'Revision', 'Deployed at'],
  history.map((h: { id: number; revision: string; deployedAt: string }) => [
    escape(String(h.id)),
    `<code>${escape(String(h.revision))}</code>`,
    escape(h.deployedAt ?? ''),
  ]),
)}
<p><a href="${list}">All applications of ${escape(instance)}</a></p>`,
  );
}
