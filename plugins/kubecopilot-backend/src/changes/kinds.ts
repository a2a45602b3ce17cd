import { InputError } from '@backstage/errors';
import { ResourceRef } from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** API locations of the kinds KubeCopilot may act on or read for plans. */
const KINDS: Record<
  string,
  { group: string; version: string; plural: string; namespaced: boolean }
> = {
  Deployment: {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    namespaced: true,
  },
  StatefulSet: {
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    namespaced: true,
  },
  DaemonSet: {
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    namespaced: true,
  },
  ReplicaSet: {
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    namespaced: true,
  },
  // Read for rollbacks: a StatefulSet's revisions of its pod template.
  ControllerRevision: {
    group: 'apps',
    version: 'v1',
    plural: 'controllerrevisions',
    namespaced: true,
  },
  Pod: { group: '', version: 'v1', plural: 'pods', namespaced: true },
  Service: { group: '', version: 'v1', plural: 'services', namespaced: true },
  ConfigMap: {
    group: '',
    version: 'v1',
    plural: 'configmaps',
    namespaced: true,
  },
  HorizontalPodAutoscaler: {
    group: 'autoscaling',
    version: 'v2',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
  },
  PodDisruptionBudget: {
    group: 'policy',
    version: 'v1',
    plural: 'poddisruptionbudgets',
    namespaced: true,
  },
  Job: { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true },
};

export function isKnownKind(kind: string) {
  return kind in KINDS;
}

/** `/apis/apps/v1/namespaces/shop/deployments` (a collection). */
export function collectionPath(kind: string, namespace?: string): string {
  const info = KINDS[kind];
  if (!info) throw new InputError(`unsupported kind ${kind}`);
  const prefix = info.group
    ? `/apis/${info.group}/${info.version}`
    : `/api/${info.version}`;
  if (info.namespaced) {
    if (!namespace) throw new InputError(`${kind} needs a namespace`);
    return `${prefix}/namespaces/${encodeURIComponent(namespace)}/${
      info.plural
    }`;
  }
  return `${prefix}/${info.plural}`;
}

/** `/apis/apps/v1/namespaces/shop/deployments/checkout` (one object). */
export function objectPath(
  resource: Pick<ResourceRef, 'kind' | 'namespace' | 'name'>,
): string {
  return `${collectionPath(
    resource.kind,
    resource.namespace,
  )}/${encodeURIComponent(resource.name)}`;
}
