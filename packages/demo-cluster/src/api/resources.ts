/** The resource types the demo cluster serves, as discovery describes them. */

export interface SubresourceType {
  /** Kind returned by the subresource (e.g. `Scale`), with its group/version when they differ. */
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

export interface ResourceType {
  group: string; // '' for the core group
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources: Record<string, SubresourceType>;
  /** metadata.generation is maintained (bumped on spec changes). */
  generation: boolean;
  /** Writes to the main resource ignore `status` (it has a status subresource). */
  statusSubresource: boolean;
  /** Served only via POST, never stored (review-style APIs). */
  virtual?: 'create-only' | 'read-only';
}

const RW = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];
const STATUS: SubresourceType = { kind: '', verbs: ['get', 'patch', 'update'] };

function rt(
  group: string,
  version: string,
  kind: string,
  plural: string,
  opts: Partial<ResourceType> & { status?: boolean; scale?: boolean } = {},
): ResourceType {
  const subresources: Record<string, SubresourceType> = {
    ...(opts.subresources ?? {}),
  };
  if (opts.status) subresources.status = { ...STATUS, kind };
  if (opts.scale) {
    subresources.scale = {
      kind: 'Scale',
      group: 'autoscaling',
      version: 'v1',
      verbs: ['get', 'patch', 'update'],
    };
  }
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced: opts.namespaced ?? true,
    shortNames: opts.shortNames,
    categories: opts.categories,
    verbs: opts.verbs ?? RW,
    subresources,
    generation: opts.generation ?? false,
    statusSubresource: opts.status ?? false,
    virtual: opts.virtual,
  };
}

export const RESOURCE_TYPES: ResourceType[] = [
  // core/v1
  rt('', 'v1', 'Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
    status: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  rt('', 'v1', 'Node', 'nodes', {
    namespaced: false,
    shortNames: ['no'],
    status: true,
  }),
  rt('', 'v1', 'Pod', 'pods', {
    shortNames: ['po'],
    categories: ['all'],
    status: true,
    subresources: {
      log: { kind: 'Pod', verbs: ['get'] },
    },
  }),
  rt('', 'v1', 'Service', 'services', {
    shortNames: ['svc'],
    categories: ['all'],
    status: true,
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  rt('', 'v1', 'Endpoints', 'endpoints', { shortNames: ['ep'] }),
  rt('', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  rt('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  rt('', 'v1', 'Secret', 'secrets'),
  rt('', 'v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  rt('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', {
    shortNames: ['pvc'],
    status: true,
  }),
  rt('', 'v1', 'PersistentVolume', 'persistentvolumes', {
    namespaced: false,
    shortNames: ['pv'],
    status: true,
  }),
  rt('', 'v1', 'LimitRange', 'limitranges', { shortNames: ['limits'] }),
  rt('', 'v1', 'ResourceQuota', 'resourcequotas', {
    shortNames: ['quota'],
    status: true,
  }),
  // apps/v1
  rt('apps', 'v1', 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    categories: ['all'],
    status: true,
    scale: true,
    generation: true,
  }),
  rt('apps', 'v1', 'ReplicaSet', 'replicasets', {
    shortNames: ['rs'],
    categories: ['all'],
    status: true,
    scale: true,
    generation: true,
  }),
  rt('apps', 'v1', 'StatefulSet', 'statefulsets', {
    shortNames: ['sts'],
    categories: ['all'],
    status: true,
    scale: true,
    generation: true,
  }),
  rt('apps', 'v1', 'DaemonSet', 'daemonsets', {
    shortNames: ['ds'],
    categories: ['all'],
    status: true,
    generation: true,
  }),
  // batch/v1
  rt('batch', 'v1', 'Job', 'jobs', {
    categories: ['all'],
    status: true,
    generation: true,
  }),
  rt('batch', 'v1', 'CronJob', 'cronjobs', {
    shortNames: ['cj'],
    categories: ['all'],
    status: true,
    generation: true,
  }),
  // networking.k8s.io/v1
  rt('networking.k8s.io', 'v1', 'Ingress', 'ingresses', {
    shortNames: ['ing'],
    status: true,
    generation: true,
  }),
  rt('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', {
    namespaced: false,
    generation: true,
  }),
  // storage.k8s.io/v1: what a Pending claim's diagnosis reads (#13).
  rt('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', {
    namespaced: false,
    shortNames: ['sc'],
  }),
  // discovery.k8s.io/v1: what a selector-less Service's diagnosis reads (#19).
  rt('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', {
    generation: true,
  }),
  rt('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', {
    shortNames: ['netpol'],
    generation: true,
  }),
  // autoscaling/v2
  rt('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', {
    shortNames: ['hpa'],
    categories: ['all'],
    status: true,
    generation: true,
  }),
  // policy/v1
  rt('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', {
    shortNames: ['pdb'],
    status: true,
    generation: true,
  }),
  // review APIs (kubectl auth can-i / auth whoami)
  rt('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', {
    namespaced: false,
    verbs: ['create'],
    virtual: 'create-only',
  }),
  rt('authentication.k8s.io', 'v1', 'SelfSubjectReview', 'selfsubjectreviews', {
    namespaced: false,
    verbs: ['create'],
    virtual: 'create-only',
  }),
  // metrics.k8s.io (synthetic usage, read-only)
  rt('metrics.k8s.io', 'v1beta1', 'PodMetrics', 'pods', {
    verbs: ['get', 'list'],
    virtual: 'read-only',
  }),
  rt('metrics.k8s.io', 'v1beta1', 'NodeMetrics', 'nodes', {
    namespaced: false,
    verbs: ['get', 'list'],
    virtual: 'read-only',
  }),
];

/** Preferred versions per group, in the order discovery lists the groups. */
export const GROUP_ORDER = [
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'networking.k8s.io',
  'policy',
  'metrics.k8s.io',
].filter(g => RESOURCE_TYPES.some(r => r.group === g));

export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export function resourceKey(r: { group: string; plural: string }): string {
  return `${r.group}/${r.plural}`;
}

export function findByPath(
  group: string,
  version: string,
  plural: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find(
    r => r.group === group && r.version === version && r.plural === plural,
  );
}

/** Finds the (stored) resource type for `apiVersion` + `kind`. */
export function findByKind(
  apiVersion: string,
  kind: string,
): ResourceType | undefined {
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/', 2)
    : ['', apiVersion];
  return RESOURCE_TYPES.find(
    r => r.group === group && r.version === version && r.kind === kind,
  );
}

/** Finds a stored resource type by kind alone (first group wins). */
export function findStoredByKind(kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find(r => r.kind === kind && !r.virtual);
}

export function typeFor(group: string, plural: string): ResourceType {
  const t = RESOURCE_TYPES.find(
    r => r.group === group && r.plural === plural && !r.virtual,
  );
  if (!t) throw new Error(`unknown resource ${group}/${plural}`);
  return t;
}

export const T = {
  namespaces: typeFor('', 'namespaces'),
  nodes: typeFor('', 'nodes'),
  pods: typeFor('', 'pods'),
  services: typeFor('', 'services'),
  endpoints: typeFor('', 'endpoints'),
  events: typeFor('', 'events'),
  configmaps: typeFor('', 'configmaps'),
  secrets: typeFor('', 'secrets'),
  serviceaccounts: typeFor('', 'serviceaccounts'),
  deployments: typeFor('apps', 'deployments'),
  replicasets: typeFor('apps', 'replicasets'),
  statefulsets: typeFor('apps', 'statefulsets'),
  daemonsets: typeFor('apps', 'daemonsets'),
};
