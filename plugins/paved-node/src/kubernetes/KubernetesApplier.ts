import { KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import {
  ConflictError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_RETRIES, retryDelay } from '../http/retry';
import type { EksAccess } from '../eks/EksClient';
import type { EksTokenProvider } from '../eks/EksTokenProvider';
import type { Manifest } from '../lib/namespace/manifests';
import { kubeConfigFor } from './KubernetesReader';

/** How to reach one cluster's API server. @public */
export interface ClusterConnection {
  /** Cluster name as EKS knows it (what the token is minted for). */
  name: string;
  region: string;
  /** API server URL. */
  server: string;
  /** Base64 PEM of the cluster CA. */
  caData?: string;
  access?: EksAccess;
}

/** What an apply did to one object. @public */
export interface AppliedObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  resourceVersion?: string;
  /** False when the object already had this state (server-side apply converged). */
  changed: boolean;
}

/**
 * Server-side apply (`@kubernetes/client-node` 1.4.0) with Paved's field manager and an EKS IAM token per cluster.
 * Objects are applied in order (namespaces first); an object another manager owns the changed fields of is a
 * ConflictError, never forced.
 * @public
 */
export class KubernetesApplier {
  constructor(
    private readonly options: {
      tokens: EksTokenProvider;
      fieldManager?: string;
      /** Time budget of one API request; default 30 s. */
      timeoutMs?: number;
    },
  ) {}

  /** Runs one API call, again after a rate limit (429, or 503 with Retry-After) as the server asks, at most twice. */
  private async retrying<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const { code, headers } = error as {
          code?: number;
          headers?: Record<string, string>;
        };
        const wait =
          attempt < MAX_RETRIES
            ? retryDelay(code, headers?.['retry-after'], attempt)
            : undefined;
        if (wait === undefined) throw error;
        await sleep(wait);
      }
    }
  }

  private async api(cluster: ClusterConnection): Promise<KubernetesObjectApi> {
    return KubernetesObjectApi.makeApiClient(
      await kubeConfigFor(cluster, this.options.tokens, {
        timeoutMs: this.options.timeoutMs,
      }),
    );
  }

  async apply(
    cluster: ClusterConnection,
    objects: Manifest[],
    options: { dryRun?: boolean } = {},
  ): Promise<AppliedObject[]> {
    const api = await this.api(cluster);
    const fieldManager = this.options.fieldManager ?? 'paved';
    const results: AppliedObject[] = [];
    for (const object of objects) {
      const before = await this.retrying(() => api.read(object as any)).catch(
        () => undefined,
      );
      let applied: any;
      try {
        applied = await this.retrying(() =>
          api.patch(
            object as any,
            undefined,
            options.dryRun ? 'All' : undefined,
            fieldManager,
            false,
            PatchStrategy.ServerSideApply,
          ),
        );
      } catch (error) {
        const code = (error as { code?: number }).code;
        const message = `${object.kind} ${
          object.metadata.namespace ? `${object.metadata.namespace}/` : ''
        }${object.metadata.name} on ${cluster.name}`;
        if (code === 409)
          throw new ConflictError(
            `${message} is managed by someone else: ${
              (error as Error).message
            }`,
          );
        if (code === 422 || code === 400)
          throw new InputError(
            `${message} was refused: ${(error as Error).message}`,
          );
        if ((error as Error).name === 'AbortError')
          throw new ServiceUnavailableError(
            `${message}: the API server did not answer in time; nothing after this object was applied, run the step again`,
          );
        if (code === 429 || (code !== undefined && code >= 500))
          throw new ServiceUnavailableError(
            `${message}: the API server answered ${code}${
              code === 429 ? ' (rate limited)' : ''
            }; nothing after this object was applied, run the step again`,
          );
        throw error;
      }
      results.push({
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata.name,
        ...(object.metadata.namespace
          ? { namespace: object.metadata.namespace }
          : {}),
        resourceVersion: applied?.metadata?.resourceVersion,
        changed:
          before?.metadata?.resourceVersion !==
          applied?.metadata?.resourceVersion,
      });
    }
    return results;
  }

  /** One object, or undefined when it does not exist. */
  async get(
    cluster: ClusterConnection,
    ref: { apiVersion: string; kind: string; name: string; namespace?: string },
  ): Promise<Manifest | undefined> {
    const api = await this.api(cluster);
    try {
      return (await this.retrying(() =>
        api.read({
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, namespace: ref.namespace },
        }),
      )) as unknown as Manifest;
    } catch (error) {
      if ((error as { code?: number }).code === 404) return undefined;
      throw error;
    }
  }
}
