import type { Config } from '@backstage/config';
import { fetchWithTimeout } from '../http/fetchWithTimeout';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_RETRIES, retryDelay } from '../http/retry';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** One Argo CD instance from `paved.argocd.instances[]`. @public */
export interface ArgoCdInstanceConfig {
  name: string;
  /** API base, e.g. https://argocd.example.com */
  url: string;
  /** Where people open the UI, when it differs from `url`. */
  uiUrl?: string;
  /** Namespace Applications and AppProjects live in (`argocd`). */
  namespace: string;
  /** Per-request timeout. */
  timeoutMs: number;
  /** A project or account token; or `username` and `password` for a session. */
  token?: string;
  username?: string;
  password?: string;
}

/** An Argo CD object as the API returns it (Application or AppProject). @public */
export interface ArgoCdObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    [key: string]: unknown;
  };
  spec: Record<string, any>;
  status?: Record<string, any>;
}

/**
 * Argo CD's REST API for one instance: bearer token or session login (the session token is cached and renewed once on
 * a 401), typed errors from Argo's `{ code, error, message }` (gRPC codes), and a timeout on every request. Tokens and
 * passwords never appear in an error or log.
 * @public
 */
export class ArgoCdInstance {
  private session?: Promise<string>;

  constructor(
    readonly config: ArgoCdInstanceConfig,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** UI link of an application. */
  applicationUrl(name: string): string {
    return `${(this.config.uiUrl ?? this.config.url).replace(
      /\/$/,
      '',
    )}/applications/${this.config.namespace}/${encodeURIComponent(name)}`;
  }

  private async token(renew = false): Promise<string> {
    if (this.config.token) return this.config.token;
    if (renew || !this.session) {
      const pending = this.send('POST', '/api/v1/session', undefined, {
        username: this.config.username,
        password: this.config.password,
      }).then(body => {
        const token = (body as { token?: string })?.token;
        if (!token)
          throw new AuthenticationError(
            `Argo CD instance ${this.config.name} returned no session token`,
          );
        return token;
      });
      pending.catch(() => {
        if (this.session === pending) this.session = undefined;
      });
      this.session = pending;
    }
    return this.session;
  }

  private async send(
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
    attempt = 0,
  ): Promise<unknown> {
    const { name, url, timeoutMs } = this.config;
    const response = await fetchWithTimeout(
      `${url.replace(/\/$/, '')}${path}`,
      {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      },
      {
        timeoutMs,
        service: `Argo CD instance ${name}`,
        call: `${method} ${path}`,
        fetchImpl: this.fetchImpl,
      },
    );
    const text = await response.text();
    // Rate limited (or unavailable with a Retry-After): nothing was done, so any method may be sent again.
    const wait =
      attempt < MAX_RETRIES
        ? retryDelay(
            response.status,
            response.headers.get('retry-after'),
            attempt,
          )
        : undefined;
    if (wait !== undefined) {
      await sleep(wait);
      return this.send(method, path, token, body, attempt + 1);
    }
    let parsed: any;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (response.ok) return parsed;
    const message = `Argo CD instance ${name}: ${method} ${path} failed: ${
      parsed?.message ??
      parsed?.error ??
      `${response.status} ${response.statusText}`
    }`;
    const code = typeof parsed?.code === 'number' ? parsed.code : undefined;
    if (response.status === 404 || code === 5) throw new NotFoundError(message);
    if (response.status === 401 || code === 16)
      throw new AuthenticationError(message);
    if (response.status === 403 || code === 7)
      throw new NotAllowedError(message);
    if (response.status === 409 || code === 6) throw new ConflictError(message);
    if (response.status === 400 || code === 3 || code === 9)
      throw new InputError(message);
    throw new ServiceUnavailableError(message);
  }

  /** An authenticated request; a session is renewed once when Argo CD says it expired. */
  async request(method: string, path: string, body?: unknown): Promise<any> {
    try {
      return await this.send(method, path, await this.token(), body);
    } catch (error) {
      if (error instanceof AuthenticationError && !this.config.token) {
        return this.send(method, path, await this.token(true), body);
      }
      throw error;
    }
  }

  private async getOrUndefined(
    path: string,
  ): Promise<ArgoCdObject | undefined> {
    try {
      return await this.request('GET', path);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  getApplication(name: string): Promise<ArgoCdObject | undefined> {
    return this.getOrUndefined(
      `/api/v1/applications/${encodeURIComponent(name)}?appNamespace=${
        this.config.namespace
      }`,
    );
  }

  createApplication(app: ArgoCdObject): Promise<ArgoCdObject> {
    return this.request(
      'POST',
      '/api/v1/applications?upsert=false&validate=true',
      app,
    );
  }

  updateApplication(app: ArgoCdObject): Promise<ArgoCdObject> {
    return this.request(
      'PUT',
      `/api/v1/applications/${encodeURIComponent(
        app.metadata.name,
      )}?validate=true`,
      app,
    );
  }

  getProject(name: string): Promise<ArgoCdObject | undefined> {
    return this.getOrUndefined(`/api/v1/projects/${encodeURIComponent(name)}`);
  }

  createProject(project: ArgoCdObject): Promise<ArgoCdObject> {
    return this.request('POST', '/api/v1/projects', { project, upsert: false });
  }

  updateProject(project: ArgoCdObject): Promise<ArgoCdObject> {
    return this.request(
      'PUT',
      `/api/v1/projects/${encodeURIComponent(project.metadata.name)}`,
      { project },
    );
  }
}

/**
 * The Argo CD instances of `paved.argocd.instances`, by name. There are no default credentials: an instance needs a
 * token or a username and password.
 * @public
 */
export class ArgoCdClients {
  static fromConfig(config: Config, fetchImpl?: typeof fetch): ArgoCdClients {
    const instances = (
      config.getOptionalConfigArray('paved.argocd.instances') ?? []
    ).map(c => {
      const name = c.getString('name');
      const token = c.getOptionalString('token');
      const username = c.getOptionalString('username');
      const password = c.getOptionalString('password');
      if (!token && !(username && password)) {
        throw new Error(
          `paved.argocd.instances: ${name} needs a token, or a username and password`,
        );
      }
      return new ArgoCdInstance(
        {
          name,
          url: c.getString('url'),
          uiUrl: c.getOptionalString('uiUrl'),
          namespace: c.getOptionalString('namespace') ?? 'argocd',
          timeoutMs: c.getOptionalNumber('timeoutMs') ?? 10_000,
          token,
          username,
          password,
        },
        fetchImpl,
      );
    });
    const names = instances.map(i => i.config.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate)
      throw new Error(`paved.argocd.instances: ${duplicate} is listed twice`);
    return new ArgoCdClients(
      instances,
      config.getOptionalString('paved.argocd.defaultInstance') ?? names[0],
    );
  }

  constructor(
    private readonly instances: ArgoCdInstance[],
    private readonly defaultName?: string,
  ) {}

  names(): string[] {
    return this.instances.map(i => i.config.name);
  }

  /** The named instance (the default one when no name is given); an InputError naming the configured ones. */
  get(name?: string): ArgoCdInstance {
    const wanted = name ?? this.defaultName;
    const instance = this.instances.find(i => i.config.name === wanted);
    if (!instance) {
      throw new InputError(
        `Argo CD instance "${wanted ?? ''}" is not configured; configured: ${
          this.names().join(', ') || 'none (paved.argocd.instances)'
        }`,
      );
    }
    return instance;
  }
}
