import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { collectionPath } from '../changes/kinds';
import { Revision, revisionKind, revisionsOf } from '../changes/rollback';
import { KubernetesBackendClient } from '../kubernetes/types';
import { PlanTarget } from './targets';

/**
 * The revisions of a workload's pod template, read as the user like the
 * risk reads: the ReplicaSets (Deployment) or ControllerRevisions
 * (StatefulSet) of its namespace, narrowed by its selector's labels, kept
 * when owned by its uid. A cluster that does not serve the kind (no
 * ControllerRevisions) has no revisions to offer.
 */
export async function readRevisions(
  kubernetes: KubernetesBackendClient,
  target: PlanTarget,
  live: Record<string, any>,
  credentials: BackstageCredentials,
): Promise<Revision[]> {
  const matchLabels: Record<string, string> =
    live.spec?.selector?.matchLabels ?? {};
  const labelSelector = Object.entries(matchLabels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  const list = await kubernetes
    .read<{ items?: Record<string, any>[] }>({
      cluster: target.cluster,
      path: collectionPath(revisionKind(target.kind), target.namespace),
      ...(labelSelector ? { query: { labelSelector } } : {}),
      credentials,
    })
    .catch(error => {
      if (error instanceof NotFoundError) return { items: [] };
      throw error;
    });
  return revisionsOf(live, list.items ?? []);
}
