import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  MetricsRange,
  MetricsResponse,
  metricsResponseSchema,
  SlosResponse,
  slosResponseSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { z } from 'zod';
import { ClusterAuthHeaders, KubernetesAuthProvidersApi } from './clusterAuth';

/**
 * The entity's charts and SLOs from the KubeCopilot backend.
 *
 * @public
 */
export interface KubecopilotMetricsApi {
  /** `GET /metrics`: each workload's time series over `range`. */
  getMetrics(entityRef: string, range: MetricsRange): Promise<MetricsResponse>;
  /** `GET /slos`: the entity's OpenSLO SLOs, budgets and burn rates. */
  getSlos(entityRef: string): Promise<SlosResponse>;
}

/** @public */
export const kubecopilotMetricsApiRef = createApiRef<KubecopilotMetricsApi>({
  id: 'plugin.kubecopilot.metrics',
});

/**
 * Talks to `GET /metrics` and `GET /slos`; bodies checked with zod, errors
 * as `ResponseError`. Carries the user's client-side cluster credentials,
 * like the main client, because the charts read the entity's workloads.
 *
 * @public
 */
export class KubecopilotMetricsClient implements KubecopilotMetricsApi {
  private readonly clusterAuth?: ClusterAuthHeaders;

  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
      kubernetesAuthProvidersApi?: KubernetesAuthProvidersApi;
    },
  ) {
    if (options.kubernetesAuthProvidersApi) {
      this.clusterAuth = new ClusterAuthHeaders({
        discoveryApi: options.discoveryApi,
        fetchApi: options.fetchApi,
        kubernetesAuthProvidersApi: options.kubernetesAuthProvidersApi,
      });
    }
  }

  async getMetrics(
    entityRef: string,
    range: MetricsRange,
  ): Promise<MetricsResponse> {
    return this.get('/metrics', { entityRef, range }, metricsResponseSchema);
  }

  async getSlos(entityRef: string): Promise<SlosResponse> {
    return this.get('/slos', { entityRef }, slosResponseSchema);
  }

  private async get<T>(
    path: string,
    query: Record<string, string>,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('kubecopilot');
    const headers = (await this.clusterAuth?.get()) ?? {};
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}${path}?${new URLSearchParams(query)}`,
      { headers },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const result = schema.safeParse(await response.json());
    if (!result.success) {
      throw new Error(
        `The KubeCopilot backend returned a malformed ${path.slice(
          1,
        )} response: ${z.prettifyError(result.error)}`,
      );
    }
    return result.data;
  }
}
