import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  OperationPlan,
  WorkloadsResponse,
  operationPlanSchema,
  workloadsResponseSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { z } from 'zod';
import { KubecopilotApi, ListPlansQuery, ListPlansResponse } from './types';

const listPlansResponseSchema = z.object({
  items: z.array(operationPlanSchema),
  nextCursor: z.string().optional(),
});

/**
 * Talks to the KubeCopilot backend plugin over HTTP.
 *
 * @public
 */
export class KubecopilotClient implements KubecopilotApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getWorkloads(entityRef: string): Promise<WorkloadsResponse> {
    const body = await this.get('/workloads', { entityRef });
    return parseBody(workloadsResponseSchema, body, 'workloads');
  }

  async listPlans(query: ListPlansQuery = {}): Promise<ListPlansResponse> {
    const body = await this.get('/plans', {
      status: query.status,
      entityRef: query.entityRef,
      cursor: query.cursor,
      limit: query.limit === undefined ? undefined : String(query.limit),
    });
    return parseBody(listPlansResponseSchema, body, 'plans');
  }

  async getPlan(id: string): Promise<OperationPlan> {
    const body = await this.get(`/plans/${encodeURIComponent(id)}`);
    return parseBody(operationPlanSchema, body, `plan ${id}`);
  }

  private async get(
    path: string,
    query: Record<string, string | undefined> = {},
  ): Promise<unknown> {
    const baseUrl = await this.discoveryApi.getBaseUrl('kubecopilot');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') {
        params.set(key, value);
      }
    }
    const search = params.toString();
    const response = await this.fetchApi.fetch(
      `${baseUrl}${path}${search ? `?${search}` : ''}`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }
}

// A response that breaks the contract is a version mismatch between the
// frontend and backend plugins; say so instead of rendering half a table.
function parseBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new Error(
      `The KubeCopilot backend returned malformed ${what}: ${z.prettifyError(
        result.error,
      )}`,
    );
  }
  return result.data;
}
