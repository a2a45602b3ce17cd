import {
  DiscoveryApi,
  FetchApi,
  createApiRef,
} from '@backstage/frontend-plugin-api';
import {
  CLUSTER_AUTH_HEADER,
  ClusterAuth,
  MAX_CLUSTER_AUTH_HEADER_BYTES,
  clusterAuthSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

/**
 * The part of the Kubernetes plugin's `KubernetesAuthProvidersApi`
 * (@backstage/plugin-kubernetes-react) KubeCopilot uses: it adds the signed-in
 * user's token for one cluster auth provider (`google`, `oidc.<provider>`,
 * `aks`, …) to a request's `auth`, and leaves it unchanged for server-side
 * providers (`serviceAccount`, `aws`, …).
 *
 * @public
 */
export interface KubernetesAuthProvidersApi {
  decorateRequestBodyForAuth(
    authProvider: string,
    requestBody: { auth?: ClusterAuth; entity: any },
  ): Promise<{ auth?: object }>;
}

/**
 * The Kubernetes plugin's `kubernetesAuthProvidersApiRef`. API refs are
 * matched by id, so this finds the implementation the Kubernetes frontend
 * plugin registers (and any an app overrides it with) without KubeCopilot
 * depending on @backstage/plugin-kubernetes-react.
 *
 * @public
 */
export const kubernetesAuthProvidersApiRef =
  createApiRef<KubernetesAuthProvidersApi>({
    id: 'plugin.kubernetes-auth-providers.service',
  });

/** A cluster as the Kubernetes backend's `GET /clusters` lists it. */
interface ClusterAuthSettings {
  authProvider?: string;
  oidcTokenProvider?: string;
}

/** How long the cluster list (not any token) is reused. */
const CLUSTERS_TTL_MS = 60_000;

/**
 * Builds the `X-Kubecopilot-Cluster-Auth` header: the user's own credentials
 * for every cluster whose Kubernetes auth is client-side, gathered the way
 * the Kubernetes plugin's own frontend gathers them for its workloads query.
 * Tokens are asked for on each call and never kept here: the auth APIs
 * behind the providers own their sessions.
 */
export class ClusterAuthHeaders {
  private clusters?: { at: number; value: Promise<ClusterAuthSettings[]> };

  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
      kubernetesAuthProvidersApi: KubernetesAuthProvidersApi;
      now?: () => number;
    },
  ) {}

  /** The header to add, or none when no cluster needs the user's credentials. */
  async get(): Promise<Record<string, string>> {
    let auth: ClusterAuth = {};
    for (const provider of await this.authProviders()) {
      try {
        const body =
          await this.options.kubernetesAuthProvidersApi.decorateRequestBodyForAuth(
            provider,
            // The providers only touch `auth`.
            { auth, entity: undefined },
          );
        auth = (body.auth as ClusterAuth | undefined) ?? auth;
      } catch {
        // No frontend provider for it, or the user declined to sign in: that
        // cluster's reads fail in the backend with the Kubernetes plugin's
        // message, as they would in the Kubernetes tab; the others still work.
      }
    }
    if (Object.keys(auth).length === 0) {
      return {};
    }
    const parsed = clusterAuthSchema.safeParse(auth);
    const value = parsed.success ? JSON.stringify(parsed.data) : undefined;
    if (!value || value.length > MAX_CLUSTER_AUTH_HEADER_BYTES) {
      // The backend would refuse the whole request; without the header only
      // the clusters that need it fail.
      return {};
    }
    return { [CLUSTER_AUTH_HEADER]: value };
  }

  /** Distinct providers in the Kubernetes plugin's naming (`oidc.<provider>`). */
  private async authProviders(): Promise<string[]> {
    const names = new Set<string>();
    for (const cluster of await this.listClusters()) {
      if (cluster.authProvider === 'oidc' && cluster.oidcTokenProvider) {
        names.add(`oidc.${cluster.oidcTokenProvider}`);
      } else if (cluster.authProvider && cluster.authProvider !== 'oidc') {
        names.add(cluster.authProvider);
      }
    }
    return [...names].sort();
  }

  private async listClusters(): Promise<ClusterAuthSettings[]> {
    const now = (this.options.now ?? Date.now)();
    if (!this.clusters || now - this.clusters.at > CLUSTERS_TTL_MS) {
      const value = this.fetchClusters();
      this.clusters = { at: now, value };
      // A failure is not remembered: the next call asks again.
      value.catch(() => {
        if (this.clusters?.value === value) {
          this.clusters = undefined;
        }
      });
    }
    try {
      return await this.clusters.value;
    } catch {
      // Without the list nobody's token is needed; KubeCopilot's own call
      // still goes out and reports what the backend finds.
      return [];
    }
  }

  private async fetchClusters(): Promise<ClusterAuthSettings[]> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('kubernetes');
    const response = await this.options.fetchApi.fetch(`${baseUrl}/clusters`);
    if (!response.ok) {
      throw new Error(`GET /clusters failed with ${response.status}`);
    }
    const body = (await response.json()) as { items?: ClusterAuthSettings[] };
    return Array.isArray(body.items) ? body.items : [];
  }
}
