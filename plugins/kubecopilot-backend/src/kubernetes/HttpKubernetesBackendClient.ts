import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import { currentClusterAuth, proxyAuthHeaders } from './clusterAuth';
import { CallTarget, errorFromFailedFetch, errorFromResponse } from './errors';
import {
  defaultReadRetryPolicy,
  isRetryableStatus,
  parseRetryAfter,
  ReadRetryPolicy,
  retryDelayMs,
} from './retry';
import {
  KubernetesBackendClient,
  KubernetesCluster,
  KubernetesPatchType,
  KubernetesQuery,
  KubernetesReadRequest,
  KubernetesWriteRequest,
} from './types';

/** `HEADER_KUBERNETES_CLUSTER` of @backstage/plugin-kubernetes-backend. */
const CLUSTER_HEADER = 'Backstage-Kubernetes-Cluster';

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_FIELD_MANAGER = 'kubecopilot';

const PATCH_CONTENT_TYPES: Record<KubernetesPatchType, string> = {
  merge: 'application/merge-patch+json',
  'strategic-merge': 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  // JSON is YAML, so the body can stay JSON.
  apply: 'application/apply-patch+yaml',
};

// kubectl's form: the server answers with whichever representation matches.
const METADATA_ACCEPT = [
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
  'application/json',
].join(',');

// Object names are DNS labels/subdomains, `system:`-prefixed for some RBAC
// objects; no `%`, so no encoded `..` can climb out of the API.
const SEGMENT = /^[A-Za-z0-9._:-]+$/;

function assertApiPath(path: string): void {
  const segments = path.split('/').slice(1);
  const valid =
    path.startsWith('/') &&
    (segments[0] === 'api' || segments[0] === 'apis') &&
    segments.every(s => SEGMENT.test(s) && s !== '.' && s !== '..');
  if (!valid) {
    throw new InputError(`Not a Kubernetes API path: '${path}'`);
  }
}

function toSearch(query: KubernetesQuery | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) {
      params.set(key, String(value));
    }
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

type Call = {
  method: string;
  /** Relative to the Kubernetes backend's base URL. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** A user, or `'own'` for the plugin's service credentials. */
  credentials: BackstageCredentials | 'own';
  retry: boolean;
  target: CallTarget;
  /** The caller gave up: no further attempt, no further wait. */
  signal?: AbortSignal;
};

/**
 * Talks to the Kubernetes backend plugin over HTTP with Backstage service
 * auth: entity workloads, cluster list, and the proxy for everything else.
 *
 * Reads also carry the signed-in user's own cluster credentials when the
 * current request sent some (clusters with a client-side `authProvider` such
 * as `oidc` can be read no other way); writes never do: they run with the
 * Kubernetes plugin's configured credentials for the cluster.
 */
export class HttpKubernetesBackendClient implements KubernetesBackendClient {
  static fromConfig(
    config: Config,
    deps: { discovery: DiscoveryService; auth: AuthService },
  ): HttpKubernetesBackendClient {
    return new HttpKubernetesBackendClient({
      ...deps,
      timeoutMs:
        config.getOptionalNumber('kubecopilot.kubernetes.timeoutMs') ??
        DEFAULT_TIMEOUT_MS,
      retryPolicy: {
        ...defaultReadRetryPolicy,
        retries:
          config.getOptionalNumber('kubecopilot.kubernetes.readRetries') ??
          defaultReadRetryPolicy.retries,
      },
    });
  }

  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;
  private readonly timeoutMs: number;
  private readonly retryPolicy: ReadRetryPolicy;

  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    timeoutMs?: number;
    retryPolicy?: ReadRetryPolicy;
  }) {
    this.discovery = options.discovery;
    this.auth = options.auth;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retryPolicy = options.retryPolicy ?? defaultReadRetryPolicy;
  }

  async getObjectsByEntity(
    entityRef: string,
    options: { credentials: BackstageCredentials },
  ): Promise<ObjectsByEntityResponse> {
    const response = await this.call({
      method: 'POST',
      path: '/resources/workloads/query',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ entityRef, auth: currentClusterAuth() ?? {} }),
      credentials: options.credentials,
      // A query: reading it twice changes nothing.
      retry: true,
      target: { description: `the workloads query for ${entityRef}` },
    });
    return response.json();
  }

  async listClusters(options: {
    credentials: BackstageCredentials;
  }): Promise<KubernetesCluster[]> {
    const response = await this.call({
      method: 'GET',
      path: '/clusters',
      headers: {},
      credentials: options.credentials,
      retry: true,
      target: { description: 'listing clusters' },
    });
    const body: { items: KubernetesCluster[] } = await response.json();
    return body.items;
  }

  async read<T = unknown>(request: KubernetesReadRequest): Promise<T> {
    const response = await this.proxyRead(request, 'application/json');
    return response.json();
  }

  async readMetadata<T = unknown>(request: KubernetesReadRequest): Promise<T> {
    const response = await this.proxyRead(request, METADATA_ACCEPT);
    return response.json();
  }

  async readText(request: KubernetesReadRequest): Promise<string> {
    const response = await this.proxyRead(request, 'text/plain, */*');
    return response.text();
  }

  async write<T = unknown>(request: KubernetesWriteRequest): Promise<T> {
    assertApiPath(request.path);
    if (request.method === 'PATCH' && !request.patchType) {
      throw new InputError('A PATCH needs a patchType');
    }
    const query: KubernetesQuery = {
      ...request.query,
      ...(request.dryRun && { dryRun: 'All' }),
      ...(request.method !== 'DELETE' && {
        fieldManager: request.fieldManager ?? DEFAULT_FIELD_MANAGER,
      }),
      ...(request.patchType === 'apply' && request.force && { force: true }),
    };
    const body = withPrecondition(request);
    const response = await this.call({
      method: request.method,
      path: `/proxy${request.path}${toSearch(query)}`,
      headers: {
        [CLUSTER_HEADER]: request.cluster,
        Accept: 'application/json',
        'Content-Type':
          request.method === 'PATCH'
            ? PATCH_CONTENT_TYPES[request.patchType!]
            : 'application/json',
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      credentials: 'own',
      retry: false,
      target: {
        description: `${request.method}${request.dryRun ? ' (dry run)' : ''} ${
          request.path
        }`,
        cluster: request.cluster,
      },
    });
    return response.json();
  }

  private async proxyRead(
    request: KubernetesReadRequest,
    accept: string,
  ): Promise<Response> {
    assertApiPath(request.path);
    return this.call({
      method: 'GET',
      path: `/proxy${request.path}${toSearch(request.query)}`,
      headers: {
        ...proxyAuthHeaders(currentClusterAuth()),
        [CLUSTER_HEADER]: request.cluster,
        Accept: accept,
      },
      credentials: request.credentials,
      retry: true,
      target: { description: `GET ${request.path}`, cluster: request.cluster },
      signal: request.signal,
    });
  }

  /**
   * One call, with a deadline per attempt. The returned response is OK; its
   * body is still covered by the deadline's signal.
   */
  private async call(call: Call): Promise<Response> {
    const baseUrl = await this.discovery.getBaseUrl('kubernetes');
    const onBehalfOf =
      call.credentials === 'own'
        ? await this.auth.getOwnServiceCredentials()
        : call.credentials;
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: 'kubernetes',
    });
    const send = () => {
      call.signal?.throwIfAborted();
      const deadline = AbortSignal.timeout(this.timeoutMs);
      return fetch(`${baseUrl}${call.path}`, {
        method: call.method,
        headers: { ...call.headers, Authorization: `Bearer ${token}` },
        body: call.body,
        signal: call.signal ? AbortSignal.any([call.signal, deadline]) : deadline,
      });
    };

    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await send();
      } catch (error) {
        // A timed-out attempt is not retried: retries would multiply the
        // deadline the caller was promised.
        const delay =
          call.retry &&
          error?.name !== 'TimeoutError' &&
          !call.signal?.aborted
            ? retryDelayMs(attempt, this.retryPolicy)
            : undefined;
        if (delay === undefined) {
          throw errorFromFailedFetch(error, call.target, this.timeoutMs, {
            write: !call.retry,
          });
        }
        await sleep(delay, call.signal);
        continue;
      }
      if (response.ok) {
        return response;
      }
      const delay =
        call.retry && isRetryableStatus(response.status)
          ? retryDelayMs(
              attempt,
              this.retryPolicy,
              parseRetryAfter(response.headers.get('retry-after')),
            )
          : undefined;
      if (delay === undefined) {
        throw await errorFromResponse(response, call.target);
      }
      // Drain (error bodies are small) so the connection can be reused.
      await response.text().catch(() => undefined);
      await sleep(delay, call.signal);
    }
  }
}

/** Waits `ms`; rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: NodeJS.Timeout | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Puts the resourceVersion precondition where the API server looks for it.
 * The JSON-patch form replaces `/metadata/resourceVersion` rather than
 * `test`ing it, because a failed test is a 422 while a stale resourceVersion
 * on the patched object is the 409 Conflict callers expect.
 */
function withPrecondition(request: KubernetesWriteRequest): unknown {
  const { resourceVersion, body } = request;
  if (resourceVersion === undefined) {
    return body;
  }
  if (request.method === 'POST') {
    throw new InputError('A create has no resourceVersion to check');
  }
  if (request.method === 'DELETE') {
    const options = (body ?? {}) as Record<string, any>;
    return {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      ...options,
      preconditions: { ...options.preconditions, resourceVersion },
    };
  }
  if (request.patchType === 'json') {
    if (!Array.isArray(body)) {
      throw new InputError('A JSON patch body must be an array of operations');
    }
    return [
      ...body,
      {
        op: 'replace',
        path: '/metadata/resourceVersion',
        value: resourceVersion,
      },
    ];
  }
  const object = (body ?? {}) as Record<string, any>;
  return {
    ...object,
    metadata: { ...object.metadata, resourceVersion },
  };
}
