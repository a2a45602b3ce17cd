import type {
  ClusterObjects,
  FetchResponse,
  KubernetesFetchError,
  ObjectsByEntityResponse,
} from '@backstage/plugin-kubernetes-common';
import type {
  ClusterError,
  WorkloadSummary,
  WorkloadsResponse,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type {
  V1ContainerStatus,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1ObjectMeta,
  V1OwnerReference,
  V1Pod,
  V1PodTemplateSpec,
  V1ReplicaSet,
  V1StatefulSet,
} from '@kubernetes/client-node';

// Workloads first, loose ReplicaSets and Pods last.
const KIND_ORDER = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'ReplicaSet',
  'Pod',
];

/** A row being built, with the pods found for it so far. */
type Row = Omit<WorkloadSummary, 'podPhases' | 'restarts' | 'reasons'> & {
  pods: V1Pod[];
};

const key = (kind: string, namespace: string | undefined, name: string) =>
  `${kind}/${namespace ?? ''}/${name}`;

function resourcesOf<T>(
  resources: FetchResponse[],
  type: FetchResponse['type'],
): T[] {
  return resources
    .filter(r => r.type === type)
    .flatMap(r => r.resources as T[]);
}

function controllerOf(
  meta: V1ObjectMeta | undefined,
): V1OwnerReference | undefined {
  const owners = meta?.ownerReferences ?? [];
  return owners.find(o => o.controller) ?? owners[0];
}

function unique(values: Array<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}

function templateImages(template: V1PodTemplateSpec | undefined): string[] {
  return unique((template?.spec?.containers ?? []).map(c => c.image));
}

function row(
  cluster: string,
  kind: string,
  meta: V1ObjectMeta | undefined,
  counts: { ready: number; desired: number },
  images: string[],
): Row {
  return {
    cluster,
    kind,
    namespace: meta?.namespace ?? '',
    name: meta?.name ?? '',
    ...counts,
    images,
    pods: [],
  };
}

/**
 * Why a pod is not simply running: waiting and terminated reasons of its
 * containers (the last termination too, which is where OOMKilled shows while
 * the container crash-loops), an eviction, an unschedulable pod.
 * `Completed` is how a successful container ends, so it is no reason.
 */
function podReasons(pod: V1Pod): string[] {
  const statuses: V1ContainerStatus[] = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  const terminated = (reason: string | undefined) =>
    reason === 'Completed' ? undefined : reason;
  return unique([
    pod.status?.reason,
    ...(pod.status?.conditions ?? [])
      .filter(c => c.type === 'PodScheduled' && c.status === 'False')
      .map(c => c.reason),
    ...statuses.flatMap(s => [
      s.state?.waiting?.reason,
      terminated(s.state?.terminated?.reason),
      terminated(s.lastState?.terminated?.reason),
    ]),
  ]);
}

function finish(r: Row): WorkloadSummary {
  const podPhases: Record<string, number> = {};
  let restarts = 0;
  for (const pod of r.pods) {
    const phase = pod.status?.phase ?? 'Unknown';
    podPhases[phase] = (podPhases[phase] ?? 0) + 1;
    for (const s of [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ]) {
      restarts += s.restartCount ?? 0;
    }
  }
  const { pods, ...rest } = r;
  return {
    ...rest,
    podPhases,
    restarts,
    reasons: unique(pods.flatMap(podReasons)).sort(),
  };
}

/** Adds a workload's row, keyed by kind, namespace and name. */
function addRow(
  rows: Map<string, Row>,
  cluster: string,
  kind: string,
  meta: V1ObjectMeta | undefined,
  counts: { ready: number; desired: number },
  template: V1PodTemplateSpec | undefined,
): Row {
  const r = row(cluster, kind, meta, counts, templateImages(template));
  rows.set(key(kind, meta?.namespace, meta?.name ?? ''), r);
  return r;
}

/** Adds the rows of a cluster's Deployments, StatefulSets, DaemonSets and Jobs. */
function addWorkloadRows(
  rows: Map<string, Row>,
  cluster: string,
  resources: FetchResponse[],
): void {
  for (const d of resourcesOf<V1Deployment>(resources, 'deployments')) {
    addRow(
      rows,
      cluster,
      'Deployment',
      d.metadata,
      { desired: d.spec?.replicas ?? 1, ready: d.status?.readyReplicas ?? 0 },
      d.spec?.template,
    );
  }
  for (const s of resourcesOf<V1StatefulSet>(resources, 'statefulsets')) {
    addRow(
      rows,
      cluster,
      'StatefulSet',
      s.metadata,
      { desired: s.spec?.replicas ?? 1, ready: s.status?.readyReplicas ?? 0 },
      s.spec?.template,
    );
  }
  for (const d of resourcesOf<V1DaemonSet>(resources, 'daemonsets')) {
    addRow(
      rows,
      cluster,
      'DaemonSet',
      d.metadata,
      {
        desired: d.status?.desiredNumberScheduled ?? 0,
        ready: d.status?.numberReady ?? 0,
      },
      d.spec?.template,
    );
  }
  // For a Job, ready/desired are completions done/wanted.
  for (const j of resourcesOf<V1Job>(resources, 'jobs')) {
    addRow(
      rows,
      cluster,
      'Job',
      j.metadata,
      { desired: j.spec?.completions ?? 1, ready: j.status?.succeeded ?? 0 },
      j.spec?.template,
    );
  }
}

/**
 * Maps each ReplicaSet to the row its pods count for. ReplicaSets are a
 * Deployment's machinery: their pods count for the Deployment. A ReplicaSet
 * whose Deployment is not listed is a row itself.
 */
function replicaSetRows(
  rows: Map<string, Row>,
  cluster: string,
  resources: FetchResponse[],
): Map<string, Row> {
  const rowOfReplicaSet = new Map<string, Row>();
  for (const rs of resourcesOf<V1ReplicaSet>(resources, 'replicasets')) {
    const ns = rs.metadata?.namespace;
    const owner = controllerOf(rs.metadata);
    const deployment =
      owner?.kind === 'Deployment'
        ? rows.get(key('Deployment', ns, owner.name))
        : undefined;
    const rsKey = key('ReplicaSet', ns, rs.metadata?.name ?? '');
    rowOfReplicaSet.set(
      rsKey,
      deployment ??
        addRow(
          rows,
          cluster,
          'ReplicaSet',
          rs.metadata,
          {
            desired: rs.spec?.replicas ?? 1,
            ready: rs.status?.readyReplicas ?? 0,
          },
          rs.spec?.template,
        ),
    );
  }
  return rowOfReplicaSet;
}

/** The row of the workload that owns a pod, if it is listed. */
function ownerRowOf(
  pod: V1Pod,
  rows: Map<string, Row>,
  rowOfReplicaSet: Map<string, Row>,
): Row | undefined {
  const ns = pod.metadata?.namespace;
  const owner = controllerOf(pod.metadata);
  if (owner?.kind === 'ReplicaSet') {
    const target = rowOfReplicaSet.get(key('ReplicaSet', ns, owner.name));
    if (target) return target;
    // The ReplicaSet may not be listed (label selector, permissions); its
    // name is `<deployment>-<pod-template-hash>`.
    const hash = pod.metadata?.labels?.['pod-template-hash'];
    if (hash && owner.name.endsWith(`-${hash}`)) {
      return rows.get(
        key('Deployment', ns, owner.name.slice(0, -hash.length - 1)),
      );
    }
    return undefined;
  }
  return owner ? rows.get(key(owner.kind, ns, owner.name)) : undefined;
}

/** A row for a pod no listed workload owns: its containers ready/total. */
function podRow(cluster: string, pod: V1Pod): Row {
  const containers = pod.spec?.containers ?? [];
  return row(
    cluster,
    'Pod',
    pod.metadata,
    {
      desired: containers.length,
      ready: (pod.status?.containerStatuses ?? []).filter(s => s.ready).length,
    },
    unique(containers.map(c => c.image)),
  );
}

/** Namespace, then workloads before loose ReplicaSets and Pods, then name. */
const byDisplayOrder = (a: Row, b: Row) =>
  a.namespace.localeCompare(b.namespace) ||
  KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
  a.name.localeCompare(b.name);

/** One cluster's rows: workloads, their pods counted in, sorted for display. */
function summarizeCluster(item: ClusterObjects): WorkloadSummary[] {
  const cluster = item.cluster.name;
  const rows = new Map<string, Row>();
  addWorkloadRows(rows, cluster, item.resources);
  const rowOfReplicaSet = replicaSetRows(rows, cluster, item.resources);
  for (const pod of resourcesOf<V1Pod>(item.resources, 'pods')) {
    let target = ownerRowOf(pod, rows, rowOfReplicaSet);
    if (!target) {
      target = podRow(cluster, pod);
      rows.set(
        key('Pod', pod.metadata?.namespace, pod.metadata?.name ?? ''),
        target,
      );
    }
    target.pods.push(pod);
  }
  return [...rows.values()].sort(byDisplayOrder).map(finish);
}

function describeError(error: KubernetesFetchError): string {
  if (error.errorType === 'FETCH_ERROR') {
    return `Cluster unreachable: ${(error as { message: string }).message}`;
  }
  const { statusCode, resourcePath } = error as {
    statusCode?: number;
    resourcePath?: string;
  };
  return `Reading ${resourcePath ?? 'resources'} failed: ${error.errorType}${
    statusCode ? ` (HTTP ${statusCode})` : ''
  }`;
}

/**
 * Pod metrics are optional: a cluster without metrics-server answers 404
 * there, and that does not make the workload list partial.
 */
function isMetricsError(error: KubernetesFetchError): boolean {
  const path = (error as { resourcePath?: string }).resourcePath;
  return !!path && path.startsWith('/apis/metrics.k8s.io/');
}

/**
 * Turns the Kubernetes backend's objects of an entity into one row per
 * workload (Deployment, StatefulSet, DaemonSet, Job, and a ReplicaSet or Pod
 * that none of those owns). Clusters that failed are named in `errors`.
 */
export function summarizeWorkloads(
  entityRef: string,
  response: ObjectsByEntityResponse,
): WorkloadsResponse {
  const errors: ClusterError[] = response.items.flatMap(item =>
    item.errors
      .filter(e => !isMetricsError(e))
      .map(e => ({ cluster: item.cluster.name, message: describeError(e) })),
  );
  return {
    entityRef,
    clusters: unique(response.items.map(item => item.cluster.name)),
    workloads: response.items.flatMap(summarizeCluster),
    errors,
  };
}
