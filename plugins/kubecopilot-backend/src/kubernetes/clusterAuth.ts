import { ClusterAuth } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The signed-in user's own Kubernetes credentials (the Kubernetes plugin's
 * `KubernetesRequestAuth` shape), for clusters whose auth is client-side
 * (`oidc`, `google`, …). They live only in memory for one request: a router
 * middleware puts them here, `HttpKubernetesBackendClient` forwards them with
 * that request's reads, and nothing stores, logs or prompts with them. An
 * AsyncLocalStorage instead of an argument, so the many services between the
 * route and the client need not carry a secret they never look at.
 */
interface Holder {
  auth: ClusterAuth | undefined;
}

const storage = new AsyncLocalStorage<Holder>();

/**
 * Runs `fn` (and everything it starts) with `auth` as the user's cluster
 * credentials; `end()` forgets them, so work that outlives the request (a
 * background step, a cache refresh) cannot keep using them.
 */
export function withClusterAuth<T>(
  auth: ClusterAuth,
  fn: () => T,
): { result: T; end: () => void } {
  const holder: Holder = { auth };
  const result = storage.run(holder, fn);
  return {
    result,
    end: () => {
      holder.auth = undefined;
    },
  };
}

/** The current request's user cluster credentials, if it sent any. */
export function currentClusterAuth(): ClusterAuth | undefined {
  return storage.getStore()?.auth;
}

/** `Backstage-Kubernetes-Authorization` of @backstage/plugin-kubernetes-backend. */
const AUTH_HEADER_PREFIX = 'Backstage-Kubernetes-Authorization';

/**
 * The Kubernetes backend's proxy takes per-provider credentials as headers
 * `Backstage-Kubernetes-Authorization-<auth>[-<provider>]` and hands them to
 * the cluster's own auth strategy, like the workloads query's `auth` body: a
 * cluster with `authProvider: serviceAccount` keeps using its token, one with
 * `oidc` + `oidcTokenProvider: okta` uses `oidc.okta`. (The bare
 * `Backstage-Kubernetes-Authorization` header would instead go to any
 * cluster as is, so it is never sent.)
 */
export function proxyAuthHeaders(
  auth: ClusterAuth | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(auth ?? {})) {
    if (typeof value === 'string') {
      headers[`${AUTH_HEADER_PREFIX}-${name}`] = value;
    } else {
      for (const [provider, token] of Object.entries(value)) {
        headers[`${AUTH_HEADER_PREFIX}-${name}-${provider}`] = token;
      }
    }
  }
  return headers;
}
