import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  AuditEntry,
  AuditVerification,
  CreatePlanRequest,
  Diagnosis,
  ObjectRef,
  OperationPlan,
  PlanStatus,
  QueryResponse,
  WorkloadsResponse,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

export type { CreatePlanRequest };

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
  /** The entity's workloads across every cluster it runs on. */
  getWorkloads(entityRef: string): Promise<WorkloadsResponse>;
  listPlans(query?: ListPlansQuery): Promise<ListPlansResponse>;
  getPlan(id: string): Promise<OperationPlan>;
  /** Drafts a pending plan; nothing changes in the cluster. */
  createPlan(request: CreatePlanRequest): Promise<OperationPlan>;
  approvePlan(id: string, comment?: string): Promise<OperationPlan>;
  rejectPlan(id: string, comment: string): Promise<OperationPlan>;
  /** Executes an approved plan; the key makes a retried click harmless. */
  executePlan(id: string, idempotencyKey?: string): Promise<OperationPlan>;
  revertPlan(id: string): Promise<OperationPlan>;
  getAudit(query: {
    planId?: string;
    entityRef?: string;
  }): Promise<{ items: AuditEntry[] }>;
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
