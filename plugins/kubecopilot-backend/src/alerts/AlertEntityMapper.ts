import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type { KubernetesBackendClient } from '../kubernetes/types';
import { AlertsConfig } from './config';
import { AlertMapping } from './types';

const ID_ANNOTATION = 'backstage.io/kubernetes-id';
const NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';

const WORKLOADS = [
  {
    key: 'deployment',
    kind: 'Deployment',
    api: '/apis/apps/v1',
    plural: 'deployments',
  },
  {
    key: 'statefulset',
    kind: 'StatefulSet',
    api: '/apis/apps/v1',
    plural: 'statefulsets',
  },
  {
    key: 'daemonset',
    kind: 'DaemonSet',
    api: '/apis/apps/v1',
    plural: 'daemonsets',
  },
  { key: 'pod', kind: 'Pod', api: '/api/v1', plural: 'pods' },
] as const;

function ownerOf(entity: Entity): string | undefined {
  const relation = entity.relations?.find(r => r.type === 'ownedBy');
  if (relation) return relation.targetRef;
  const owner = entity.spec?.owner;
  return typeof owner === 'string' ? owner : undefined;
}

/** `checkout-7d9f8b6c5d-x2k4q` → `checkout`; `db-0` → `db`. */
export function workloadNameOfPod(pod: string): string {
  return pod.replace(/-[a-z0-9]{6,10}-[a-z0-9]{5}$/, '').replace(/-\d+$/, '');
}

/**
 * Maps an alert's labels to a catalog entity, as the Kubernetes plugin maps
 * entities to objects: a label naming the entity wins; otherwise the
 * workload the labels name (deployment, statefulset, daemonset or pod, in
 * namespace and cluster) is read from the cluster and its
 * `backstage.io/kubernetes-id` label picks the entity with that annotation
 * (and a matching `backstage.io/kubernetes-namespace`, when it has one).
 * Labels are data: they select, they are never followed as instructions.
 */
export class AlertEntityMapper {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      kubernetes: KubernetesBackendClient;
      config: AlertsConfig;
    },
  ) {}

  async map(
    labels: Record<string, string>,
    credentials: BackstageCredentials,
  ): Promise<AlertMapping> {
    const names = this.options.config.labels;
    const named = labels[names.entity];
    if (named) return this.byRef(named, credentials);

    const namespace = labels[names.namespace];
    const workload = WORKLOADS.map(w => ({
      ...w,
      name: labels[names[w.key]],
    })).find(w => w.name);
    if (!workload || !namespace) {
      return {
        mapping: `no ${names.entity} label, and no ${names.namespace} with a ${names.deployment}, ${names.statefulset}, ${names.daemonset} or ${names.pod} label`,
      };
    }
    const cluster =
      labels[names.cluster] ?? (await this.defaultCluster(credentials));
    const where = `${workload.kind} ${namespace}/${workload.name}`;
    let id: string | undefined;
    let how: string;
    try {
      if (!cluster) throw new Error('no cluster label, and several clusters');
      const object = await this.options.kubernetes.readMetadata<{
        metadata?: { labels?: Record<string, string> };
      }>({
        cluster,
        path: `${workload.api}/namespaces/${encodeURIComponent(namespace)}/${
          workload.plural
        }/${encodeURIComponent(workload.name)}`,
        credentials,
      });
      id = object.metadata?.labels?.[ID_ANNOTATION];
      how = id
        ? `${where} in ${cluster} has ${ID_ANNOTATION}=${id}`
        : `${where} in ${cluster} has no ${ID_ANNOTATION} label`;
    } catch (error) {
      how = `${where} could not be read (${(error as Error).message})`;
    }
    // Without the label: the workload's name, as kubernetes-id often is.
    const guess =
      id ??
      (workload.key === 'pod'
        ? workloadNameOfPod(workload.name)
        : workload.name);
    const candidates = (
      await this.options.catalog.queryEntities(
        {
          filter: { [`metadata.annotations.${ID_ANNOTATION}`]: guess },
          limit: 20,
        },
        { credentials },
      )
    ).items.filter(e => {
      const ns = e.metadata.annotations?.[NAMESPACE_ANNOTATION];
      return !ns || ns === namespace;
    });
    const via = id ? how : `${how}; by name ${guess}`;
    if (candidates.length === 1) {
      const [entity] = candidates;
      return {
        entityRef: stringifyEntityRef(entity),
        ownerRef: ownerOf(entity),
        mapping: `${via} → ${stringifyEntityRef(entity)}`,
      };
    }
    return {
      mapping:
        candidates.length === 0
          ? `${via}: no catalog entity with ${ID_ANNOTATION}: ${guess}`
          : `${via}: several entities (${candidates
              .map(e => stringifyEntityRef(e))
              .join(', ')})`,
    };
  }

  private async byRef(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<AlertMapping> {
    const label = this.options.config.labels.entity;
    let entityRef: string;
    try {
      entityRef = stringifyEntityRef(
        parseEntityRef(ref, { defaultKind: 'component' }),
      );
    } catch {
      return { mapping: `label ${label} is not an entity ref` };
    }
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    return entity
      ? { entityRef, ownerRef: ownerOf(entity), mapping: `label ${label}` }
      : { mapping: `label ${label}: ${entityRef} is not in the catalog` };
  }

  private async defaultCluster(credentials: BackstageCredentials) {
    if (this.options.config.defaultCluster)
      return this.options.config.defaultCluster;
    const clusters = await this.options.kubernetes.listClusters({
      credentials,
    });
    return clusters.length === 1 ? clusters[0].name : undefined;
  }
}
