import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AuditListResponse,
  AuditVerification,
  Diagnosis,
  FindingListResponse,
  ObjectRef,
  OperationPlan,
  QueryResponse,
  WorkloadsResponse,
  auditListResponseSchema,
  auditVerificationSchema,
  diagnosisSchema,
  findingListResponseSchema,
  operationPlanSchema,
  queryResponseSchema,
  workloadsResponseSchema,
  ManifestCheckRequest,
  ManifestCheckResponse,
  manifestCheckResponseSchema,
  ManifestModelExplanation,
  manifestModelExplanationSchema,
  WorkloadManifestsResponse,
  workloadManifestsResponseSchema,
  EventsResponse,
  eventsResponseSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { z } from 'zod';
import { ClusterAuthHeaders, KubernetesAuthProvidersApi } from './clusterAuth';
import {
  AuditQuery,
  CreateCanaryPlanInput,
  CreatePlanRequest,
  EventsQuery,
  KubecopilotApi,
  ListFindingsQuery,
  ListPlansQuery,
  ListPlansResponse,
} from './types';

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
  private readonly clusterAuth?: ClusterAuthHeaders;

  /**
   * With `kubernetesAuthProvidersApi` (the Kubernetes plugin's), every call
   * carries the user's own credentials for the clusters whose Kubernetes auth
   * is client-side (`oidc`, `google`, …), which the backend uses for that
   * call's reads only; without it such clusters cannot be read.
   */
  constructor(options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
    kubernetesAuthProvidersApi?: KubernetesAuthProvidersApi;
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    if (options.kubernetesAuthProvidersApi) {
      this.clusterAuth = new ClusterAuthHeaders({
        discoveryApi: options.discoveryApi,
        fetchApi: options.fetchApi,
        kubernetesAuthProvidersApi: options.kubernetesAuthProvidersApi,
      });
    }
  }

  async getWorkloads(
    entityRef: string,
    options: { relations?: boolean } = {},
  ): Promise<WorkloadsResponse> {
    const body = await this.get('/workloads', {
      entityRef,
      relations: options.relations ? 'true' : undefined,
    });
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

  async createPlan(request: CreatePlanRequest): Promise<OperationPlan> {
    return parseBody(
      operationPlanSchema,
      await this.post('/plans', request),
      'plan',
    );
  }

  async createCanaryPlan(
    request: CreateCanaryPlanInput,
  ): Promise<OperationPlan> {
    return parseBody(
      operationPlanSchema,
      await this.post('/plans/canary', request),
      'canary plan',
    );
  }

  async approvePlan(id: string, comment?: string): Promise<OperationPlan> {
    const body = await this.post(
      `/plans/${encodeURIComponent(id)}/approve`,
      comment ? { comment } : {},
    );
    return parseBody(operationPlanSchema, body, `plan ${id}`);
  }

  async rejectPlan(id: string, comment: string): Promise<OperationPlan> {
    const body = await this.post(`/plans/${encodeURIComponent(id)}/reject`, {
      comment,
    });
    return parseBody(operationPlanSchema, body, `plan ${id}`);
  }

  async executePlan(
    id: string,
    idempotencyKey?: string,
  ): Promise<OperationPlan> {
    const body = await this.post(
      `/plans/${encodeURIComponent(id)}/execute`,
      {},
      idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {},
    );
    return parseBody(operationPlanSchema, body, `plan ${id}`);
  }

  async revertPlan(id: string): Promise<OperationPlan> {
    const body = await this.post(`/plans/${encodeURIComponent(id)}/revert`, {});
    return parseBody(operationPlanSchema, body, `plan ${id}`);
  }

  async confirmStep(
    id: string,
    stepId: string,
    comment?: string,
  ): Promise<OperationPlan> {
    const body = await this.post(
      `/plans/${encodeURIComponent(id)}/steps/${encodeURIComponent(
        stepId,
      )}/confirm`,
      comment ? { comment } : {},
    );
    return parseBody(operationPlanSchema, body, `plan ${id}`);
  }

  async declineStep(
    id: string,
    stepId: string,
    comment: string,
  ): Promise<OperationPlan> {
    const body = await this.post(
      `/plans/${encodeURIComponent(id)}/steps/${encodeURIComponent(
        stepId,
      )}/decline`,
      { comment },
    );
    return parseBody(operationPlanSchema, body, `plan ${id}`);
  }

  async getAudit(query: AuditQuery): Promise<AuditListResponse> {
    const body = await this.get('/audit', {
      planId: query.planId,
      entityRef: query.entityRef,
      cursor: query.cursor,
      limit: query.limit === undefined ? undefined : String(query.limit),
    });
    return parseBody(auditListResponseSchema, body, 'audit entries');
  }

  async verifyAudit(): Promise<AuditVerification> {
    return parseBody(
      auditVerificationSchema,
      await this.get('/audit/verify'),
      'audit verification',
    );
  }

  async diagnose(
    entityRef: string,
    target?: ObjectRef & { cluster?: string },
  ): Promise<Diagnosis> {
    const body = await this.post(
      '/diagnoses',
      target ? { entityRef, target } : { entityRef },
    );
    return parseBody(diagnosisSchema, body, 'diagnosis');
  }

  async listDiagnoses(
    entityRef: string,
    limit?: number,
  ): Promise<{ items: Diagnosis[] }> {
    const body = await this.get('/diagnoses', {
      entityRef,
      limit: limit === undefined ? undefined : String(limit),
    });
    return parseBody(
      z.object({ items: z.array(diagnosisSchema) }),
      body,
      'diagnoses',
    );
  }

  async query(entityRef: string, question: string): Promise<QueryResponse> {
    return parseBody(
      queryResponseSchema,
      await this.post('/query', { entityRef, question }),
      'query answer',
    );
  }

  async listFindings(
    query: ListFindingsQuery = {},
  ): Promise<FindingListResponse> {
    const body = await this.get('/findings', {
      status: query.status,
      entityRef: query.entityRef,
      owner: query.owner,
      severity: query.severity,
      cluster: query.cluster,
      limit: query.limit === undefined ? undefined : String(query.limit),
    });
    return parseBody(findingListResponseSchema, body, 'findings');
  }

  async getManifests(entityRef: string): Promise<WorkloadManifestsResponse> {
    const body = await this.get('/yaml/manifests', { entityRef });
    return parseBody(workloadManifestsResponseSchema, body, 'manifests');
  }

  async checkManifest(
    request: ManifestCheckRequest,
  ): Promise<ManifestCheckResponse> {
    const body = await this.post('/yaml/check', request);
    return parseBody(manifestCheckResponseSchema, body, 'manifest checks');
  }

  async explainManifest(
    request: ManifestCheckRequest,
  ): Promise<ManifestModelExplanation> {
    const body = await this.post('/yaml/explain', request);
    return parseBody(
      manifestModelExplanationSchema,
      body,
      "the model's explanation",
    );
  }

  async getEvents(
    entityRef: string,
    query: EventsQuery = {},
  ): Promise<EventsResponse> {
    const body = await this.get('/events', {
      entityRef,
      type: query.type,
      since: query.since,
      limit: query.limit === undefined ? undefined : String(query.limit),
    });
    return parseBody(eventsResponseSchema, body, 'events');
  }

  private async post(
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<unknown> {
    const baseUrl = await this.discoveryApi.getBaseUrl('kubecopilot');
    const clusterAuth = (await this.clusterAuth?.get()) ?? {};
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...clusterAuth,
        ...headers,
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
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
    const clusterAuth = (await this.clusterAuth?.get()) ?? {};
    const response = await this.fetchApi.fetch(
      `${baseUrl}${path}${search ? `?${search}` : ''}`,
      { headers: clusterAuth },
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
