import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  CreatePostmortemRequest,
  Postmortem,
  postmortemListResponseSchema,
  postmortemSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { z } from 'zod';

/**
 * `/postmortems` of the KubeCopilot backend, bodies checked with zod and
 * errors as ResponseError, like KubecopilotClient.
 */
export class PostmortemClient {
  constructor(
    private readonly discoveryApi: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  async list(entityRef: string): Promise<Postmortem[]> {
    const body = await this.request(
      `/postmortems?${new URLSearchParams({ entityRef })}`,
    );
    return this.parse(postmortemListResponseSchema, body).items;
  }

  async create(request: CreatePostmortemRequest): Promise<Postmortem> {
    return this.parse(
      postmortemSchema,
      await this.request('/postmortems', { method: 'POST', body: request }),
    );
  }

  async save(
    id: string,
    markdown: string,
    baseVersion: number,
  ): Promise<Postmortem> {
    return this.parse(
      postmortemSchema,
      await this.request(`/postmortems/${encodeURIComponent(id)}`, {
        method: 'PUT',
        body: { markdown, baseVersion },
      }),
    );
  }

  private parse<T>(schema: z.ZodType<T>, body: unknown): T {
    const result = schema.safeParse(body);
    if (!result.success) {
      throw new Error(
        `Unexpected postmortem response from the KubeCopilot backend: ${result.error.message}`,
      );
    }
    return result.data;
  }

  private async request(
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<unknown> {
    const baseUrl = await this.discoveryApi.getBaseUrl('kubecopilot');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      ...(init.body !== undefined && {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(init.body),
      }),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }
}
