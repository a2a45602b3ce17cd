import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  AuditListResponse,
  AuditVerification,
  CreatePlanRequest,
  Diagnosis,
  ObjectRef,
  OperationPlan,
  PlanStatus,
  QueryResponse,
  WorkloadsResponse,
  createCanaryPlanRequestSchema,
  FindingListResponse,
  FindingStatus,
  Severity,
  ManifestCheckRequest,
  ManifestCheckResponse,
  ManifestModelExplanation,
  WorkloadManifestsResponse,
  EventsResponse,
  EventType,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { z } from 'zod';

export type { CreatePlanRequest };

/**
 * `POST /plans/canary` body as the caller writes it: `steps` and
 * `confirmPromotion` may be left out for the backend's defaults.
 *
 * @public
 */
export type CreateCanaryPlanInput = z.input<
  typeof createCanaryPlanRequestSchema
>;

/**
 * Filters for {@link KubecopilotApi.listPlans}.
 *
 * @public
 */
export interface ListPlansQuery {
  status?: PlanStatus;
  entityRef?: string;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  limit?: number;
}

/**
 * Filters and paging of {@link KubecopilotApi.getAudit}.
 *
 * @public
 */
export interface AuditQuery {
  planId?: string;
  entityRef?: string;
  /** Opaque cursor from a previous page's `nextCursor`: older entries. */
  cursor?: string;
  limit?: number;
}

/**
 * One page of plans, newest first.
 *
 * @public
 */
export interface ListPlansResponse {
  items: OperationPlan[];
  nextCursor?: string;
}

/**
 * The KubeCopilot backend, as the frontend sees it.
 *
 * @public
 */
export interface KubecopilotApi {
  /**
   * The entity's workloads across every cluster it runs on; with
   * `relations`, also their ConfigMaps and Secrets (key names only) and the
   * entity's Ingresses.
   */
  getWorkloads(
    entityRef: string,
    options?: { relations?: boolean },
  ): Promise<WorkloadsResponse>;
  listPlans(query?: ListPlansQuery): Promise<ListPlansResponse>;
  getPlan(id: string): Promise<OperationPlan>;
  /** Drafts a pending plan; nothing changes in the cluster. */
  createPlan(request: CreatePlanRequest): Promise<OperationPlan>;
  /**
   * Drafts a pending multi-step canary plan (new image rolled out step by
   * step, gated on metrics); nothing changes in the cluster.
   */
  createCanaryPlan(request: CreateCanaryPlanInput): Promise<OperationPlan>;
  approvePlan(id: string, comment?: string): Promise<OperationPlan>;
  rejectPlan(id: string, comment: string): Promise<OperationPlan>;
  /** Executes an approved plan; the key makes a retried click harmless. */
  executePlan(id: string, idempotencyKey?: string): Promise<OperationPlan>;
  revertPlan(id: string): Promise<OperationPlan>;
  /**
   * Confirms the approval step a paused multi-step plan waits at ("confirm
   * promotion"); the plan resumes executing in the background.
   */
  confirmStep(
    id: string,
    stepId: string,
    comment?: string,
  ): Promise<OperationPlan>;
  /** Declines the approval step a paused plan waits at: it rolls back. */
  declineStep(
    id: string,
    stepId: string,
    comment: string,
  ): Promise<OperationPlan>;
  /** One page of the audit entries the user may read, newest first. */
  getAudit(query: AuditQuery): Promise<AuditListResponse>;
  verifyAudit(): Promise<AuditVerification>;
  /** Diagnoses the entity (or one of its objects). */
  diagnose(
    entityRef: string,
    target?: ObjectRef & { cluster?: string },
  ): Promise<Diagnosis>;
  listDiagnoses(
    entityRef: string,
    limit?: number,
  ): Promise<{ items: Diagnosis[] }>;
  /** Answers a read question, or recognises a write intent. */
  query(entityRef: string, question: string): Promise<QueryResponse>;
  /** Findings kept by the findings scan, newest last-seen first. */
  listFindings(query?: ListFindingsQuery): Promise<FindingListResponse>;
  /** The entity's workloads as manifests (status and server fields removed). */
  getManifests(entityRef: string): Promise<WorkloadManifestsResponse>;
  /** Best-practice checks and an explanation of a workload, live or edited. */
  checkManifest(request: ManifestCheckRequest): Promise<ManifestCheckResponse>;
  /** The model's explanation of the same manifest, grounded in it; `ok: false` with why not. */
  explainManifest(
    request: ManifestCheckRequest,
  ): Promise<ManifestModelExplanation>;
  /** The events of the entity's objects, newest first, and the plans executed for it. */
  getEvents(entityRef: string, query?: EventsQuery): Promise<EventsResponse>;
}

/** `GET /events` filters. @public */
export interface EventsQuery {
  type?: EventType;
  /** An ISO-8601 time or a duration back from now (`30m`, `6h`, `7d`). */
  since?: string;
  /** At most this many events (default 200, at most 1000). */
  limit?: number;
}

/** `GET /findings` filters. @public */
export interface ListFindingsQuery {
  status?: FindingStatus;
  entityRef?: string;
  /** An owner ref (`group:default/team-shop`, or `team-shop`). */
  owner?: string;
  severity?: Severity;
  cluster?: string;
  limit?: number;
}

/**
 * The {@link KubecopilotApi} reference.
 *
 * @public
 */
export const kubecopilotApiRef = createApiRef<KubecopilotApi>().with({
  id: 'plugin.kubecopilot.service',
  pluginId: 'kubecopilot',
});
