import { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';

/** A workload-level object of an entity that a plan may act on. */
export interface PlanTarget {
  cluster: string;
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Pod';
  namespace: string;
  name: string;
}

const TYPES: Record<string, PlanTarget['kind']> = {
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  pods: 'Pod',
};

/**
 * The objects of the entity, as the Kubernetes plugin maps them (its
 * annotations and label selector). A plan may only target one of these: that
 * is what keeps a prompt from reaching another entity's workloads.
 */
export function entityTargets(response: ObjectsByEntityResponse): PlanTarget[] {
  const targets: PlanTarget[] = [];
  for (const item of response.items) {
    for (const fetched of item.resources) {
      const kind = TYPES[fetched.type];
      if (!kind) continue;
      for (const object of fetched.resources as Array<{
        metadata?: { name?: string; namespace?: string };
      }>) {
        if (object.metadata?.name && object.metadata.namespace) {
          targets.push({
            cluster: item.cluster.name,
            kind,
            namespace: object.metadata.namespace,
            name: object.metadata.name,
          });
        }
      }
    }
  }
  return targets;
}

/** Clusters of the entity that could not be read, by name. */
export function unreadableClusters(
  response: ObjectsByEntityResponse,
): string[] {
  return response.items
    .filter(i => i.errors.length > 0)
    .map(i => i.cluster.name);
}
