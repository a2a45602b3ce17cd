import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  OperationPlan,
  PlanStatus,
  WorkloadsResponse,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

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
