import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  FetchResponse,
  ObjectsByEntityResponse,
} from '@backstage/plugin-kubernetes-common';
import {
  ClusterError,
  EntityEvent,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { KubernetesBackendClient } from '../kubernetes/types';
import { KubeEvent, normalizeEvent } from './normalizeEvent';

/** Kind of the objects in each of the Kubernetes backend's lists. */
const LIST_KINDS: Partial<Record<FetchResponse['type'], string>> = {
  pods: 'Pod',
  services: 'Service',
  configmaps: 'ConfigMap',
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
  ingresses: 'Ingress',
  horizontalpodautoscalers: 'HorizontalPodAutoscaler',
  limitranges: 'LimitRange',
  resourcequotas: 'ResourceQuota',
};

interface ListedObject {
  kind?: string;
  metadata?: { namespace?: string; name?: string; uid?: string };
}

/** What an event may name to count as one of the entity's objects. */
interface Involved {
  uids: Set<string>;
  /** `Kind/name`, with the kind `*` where the list's kind is unknown. */
  names: Set<string>;
}

/** The entity's objects of one cluster, by namespace. */
function objectsByNamespace(resources: FetchResponse[]): Map<string, Involved> {
  const byNamespace = new Map<string, Involved>();
  for (const fetched of resources) {
    for (const object of fetched.resources as ListedObject[]) {
      const namespace = object.metadata?.namespace;
      const name = object.metadata?.name;
      if (!namespace || !name) continue;
      const involved = byNamespace.get(namespace) ?? {
        uids: new Set(),
        names: new Set(),
      };
      const kind = object.kind ?? LIST_KINDS[fetched.type] ?? '*';
      involved.names.add(`${kind}/${name}`);
      if (object.metadata?.uid) involved.uids.add(object.metadata.uid);
      byNamespace.set(namespace, involved);
    }
  }
  return byNamespace;
}

function concerns(involved: Involved, e: KubeEvent): boolean {
  const o = e.involvedObject;
  if (!o?.name) return false;
  if (o.uid && involved.uids.has(o.uid)) return true;
  return (
    involved.names.has(`${o.kind ?? '*'}/${o.name}`) ||
    involved.names.has(`*/${o.name}`)
  );
}

/** Events of an entity's objects and the namespaces that could not be read. */
export interface EntityEvents {
  events: EntityEvent[];
  errors: ClusterError[];
}

/**
 * The events of an entity's objects — whatever the Kubernetes backend maps
 * to it (workloads, their ReplicaSets and Pods, Services…) — in every
 * cluster and namespace they live in: one list call per namespace, read as
 * the user. A namespace that cannot be read is named in `errors`; the rest
 * still counts. Unordered.
 *
 * @throws what `getObjectsByEntity` throws when the entity's objects cannot
 * be read at all.
 */
export async function readEntityEvents(
  kubernetes: KubernetesBackendClient,
  entityRef: string,
  credentials: BackstageCredentials,
  options: { objects?: ObjectsByEntityResponse; signal?: AbortSignal } = {},
): Promise<EntityEvents> {
  const objects =
    options.objects ??
    (await kubernetes.getObjectsByEntity(entityRef, { credentials }));
  const reads = objects.items.flatMap(item => {
    const cluster = item.cluster.name;
    return [...objectsByNamespace(item.resources)].map(
      async ([namespace, involved]): Promise<EntityEvents> => {
        try {
          const list = await kubernetes.read<{ items?: KubeEvent[] }>({
            cluster,
            path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
            credentials,
            signal: options.signal,
          });
          const events = (list.items ?? [])
            .filter(e => concerns(involved, e))
            .flatMap(e => normalizeEvent(cluster, e) ?? []);
          return { events, errors: [] };
        } catch (error) {
          return {
            events: [],
            errors: [
              {
                cluster,
                message: `events of namespace ${namespace} could not be read: ${
                  (error as Error).message
                }`,
              },
            ],
          };
        }
      },
    );
  });
  const results = await Promise.all(reads);
  return {
    events: results.flatMap(r => r.events),
    errors: results.flatMap(r => r.errors),
  };
}
