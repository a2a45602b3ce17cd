import type { V1Pod } from '@kubernetes/client-node';
import type {
  Finding,
  ObjectRef,
  Severity,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  AnalysisContext,
  failsOnMissingService,
  workloadOf,
} from '../../analyzers';

const SEVERITY_RANK: Record<Severity, number> = {
  critical: 3,
  error: 2,
  warning: 1,
  info: 0,
};

/**
 * How well a pod finding explains its pod being unavailable, best first: a
 * missing object or image stops the container before it runs; a crash or an
 * OOM kill stops it after; a failing readiness probe only keeps it out of
 * rotation.
 */
const POD_CAUSES = [
  'MissingConfigMap',
  'MissingSecret',
  'VolumeMountFailed',
  'PodSandboxFailed',
  'ImagePullBackOff',
  'ContainerCreateError',
  'CrashLoopBackOff',
  'ContainerExited',
  'OOMKilled',
  'InitContainerStuck',
  'PodStuckTerminating',
  'Unschedulable',
  'ProbeFailure',
];

/** Findings about a workload that its pods' failures explain. */
const WORKLOAD_SYMPTOMS = new Set([
  'DeploymentUnavailable',
  'ProgressDeadlineExceeded',
  'StatefulSetUnavailable',
  'DaemonSetUnavailable',
]);

const key = (cluster: string, kind: string, ns?: string, name?: string) =>
  `${cluster}|${kind}|${ns ?? ''}|${name ?? ''}`;

const refKey = (cluster: string, r: ObjectRef) =>
  key(cluster, r.kind, r.namespace, r.name);

/** `Pod/shop/checkout-x/app/CrashLoopBackOff`-like, unique in the diagnosis. */
function assignIds(findings: Finding[]): Finding[] {
  const used = new Map<string, number>();
  return findings.map(f => {
    const base = [
      f.cluster,
      f.resource.kind,
      f.resource.namespace ?? '',
      f.resource.name,
      f.container ?? '',
      f.code,
    ].join('/');
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return { ...f, id: n === 1 ? base : `${base}#${n}` };
  });
}

/** The pod's controller, and the workload a human thinks in above it. */
function ownersOf(ctx: AnalysisContext, pod: V1Pod): ObjectRef[] {
  const ns = pod.metadata?.namespace;
  const refs: ObjectRef[] = [];
  const controller = pod.metadata?.ownerReferences?.find(o => o.controller);
  if (controller) {
    refs.push({ kind: controller.kind, namespace: ns, name: controller.name });
  }
  const top = workloadOf(ctx, pod)?.ref;
  if (top) refs.push(top);
  return refs;
}

function selects(
  selector: Record<string, string> | undefined,
  pod: V1Pod,
): boolean {
  // A Service without a selector has hand-made Endpoints: no pod explains them.
  if (!selector || Object.keys(selector).length === 0) return false;
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function better(a: Finding, b: Finding | undefined): boolean {
  if (!b) return true;
  const ra = POD_CAUSES.indexOf(a.code);
  const rb = POD_CAUSES.indexOf(b.code);
  if (ra !== rb) return ra < rb;
  return SEVERITY_RANK[a.severity] > SEVERITY_RANK[b.severity];
}

interface Index {
  /** The best cause finding of each pod. */
  podCause: Map<string, Finding>;
  /** Pod findings by pod, for the PVC link. */
  pvcFindings: Map<string, Finding>;
  /** ReplicaSetFailedCreate findings by their Deployment. */
  createFailures: Map<string, Finding>;
  /** NodeNotReady findings by their node. */
  nodeFindings: Map<string, Finding>;
  /** StatefulSetServiceMissing findings by their StatefulSet. */
  serviceMissing: Map<string, Finding>;
}

function indexFindings(findings: Finding[]): Index {
  const podCause = new Map<string, Finding>();
  const pvcFindings = new Map<string, Finding>();
  const createFailures = new Map<string, Finding>();
  const nodeFindings = new Map<string, Finding>();
  const serviceMissing = new Map<string, Finding>();
  for (const f of findings) {
    if (f.code === 'StatefulSetServiceMissing')
      serviceMissing.set(refKey(f.cluster, f.resource), f);
    if (f.code === 'NodeNotReady')
      nodeFindings.set(key(f.cluster, 'Node', undefined, f.resource.name), f);
    // Information (a recovered container, an OOM kill long ago) explains
    // nothing that is wrong now.
    if (
      f.resource.kind === 'Pod' &&
      POD_CAUSES.includes(f.code) &&
      f.severity !== 'info'
    ) {
      const k = refKey(f.cluster, f.resource);
      if (better(f, podCause.get(k))) podCause.set(k, f);
    }
    // A claim that is not bound, or whose volume is gone, keeps its pods unscheduled.
    if (f.code === 'PvcPending' || f.code === 'PvcLost')
      pvcFindings.set(refKey(f.cluster, f.resource), f);
    if (f.code === 'ReplicaSetFailedCreate')
      createFailures.set(refKey(f.cluster, f.resource), f);
  }
  return {
    podCause,
    pvcFindings,
    createFailures,
    nodeFindings,
    serviceMissing,
  };
}

const podsByKey = new WeakMap<AnalysisContext, Map<string, V1Pod>>();

function podOf(ctx: AnalysisContext, f: Finding): V1Pod | undefined {
  let pods = podsByKey.get(ctx);
  if (!pods) {
    pods = new Map(
      ctx.pods.map(p => [
        key(ctx.cluster, 'Pod', p.metadata?.namespace, p.metadata?.name),
        p,
      ]),
    );
    podsByKey.set(ctx, pods);
  }
  return pods.get(refKey(f.cluster, f.resource));
}

/**
 * The best cause among the pods that `match` picks in the finding's cluster.
 * It walks the pods that have a cause, not every pod: few pods fail at once.
 */
function causeAmongPods(
  ctx: AnalysisContext,
  index: Index,
  match: (pod: V1Pod) => boolean,
): Finding | undefined {
  let best: Finding | undefined;
  for (const f of index.podCause.values()) {
    if (f.cluster !== ctx.cluster) continue;
    const pod = podOf(ctx, f);
    if (pod && match(pod) && better(f, best)) best = f;
  }
  return best;
}

function causeOf(
  f: Finding,
  ctx: AnalysisContext,
  index: Index,
): Finding | undefined {
  const r = f.resource;
  if (WORKLOAD_SYMPTOMS.has(f.code)) {
    const target = refKey(f.cluster, r);
    // Pods that fail explain their workload; pods that were never created
    // (quota, LimitRange, admission) are explained by the refusal.
    return (
      causeAmongPods(ctx, index, pod =>
        ownersOf(ctx, pod).some(o => refKey(f.cluster, o) === target),
      ) ?? index.createFailures.get(target)
    );
  }
  if (f.code === 'ServiceNoEndpoints') {
    const svc = ctx.services.find(
      s => s.metadata?.name === r.name && s.metadata?.namespace === r.namespace,
    );
    return causeAmongPods(
      ctx,
      index,
      pod =>
        pod.metadata?.namespace === r.namespace &&
        selects(svc?.spec?.selector, pod),
    );
  }
  // A pod that cannot finish terminating on a node that stopped reporting:
  // the node is the cause.
  // A member that fails resolving its peers' names under a governing
  // Service that does not exist: the missing Service is the cause.
  if (r.kind === 'Pod' && POD_CAUSES.includes(f.code)) {
    const pod = podOf(ctx, f);
    const owner = pod?.metadata?.ownerReferences?.find(
      o => o.controller && o.kind === 'StatefulSet',
    );
    const missing =
      owner &&
      index.serviceMissing.get(
        key(f.cluster, 'StatefulSet', r.namespace, owner.name),
      );
    if (missing && pod && failsOnMissingService(ctx, pod)) return missing;
  }
  if (f.code === 'PodStuckTerminating' && r.kind === 'Pod') {
    const node = podOf(ctx, f)?.spec?.nodeName;
    const down =
      node && index.nodeFindings.get(key(f.cluster, 'Node', undefined, node));
    if (down) return down;
  }
  if (f.code === 'Unschedulable' && r.kind === 'Pod') {
    const pod = ctx.pods.find(
      p => p.metadata?.name === r.name && p.metadata?.namespace === r.namespace,
    );
    for (const v of pod?.spec?.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      const pvc =
        claim &&
        index.pvcFindings.get(
          key(f.cluster, 'PersistentVolumeClaim', r.namespace, claim),
        );
      if (pvc) return pvc;
    }
  }
  return undefined;
}

/** The root of a finding's cause chain, guarding against loops. */
function rootOf(f: Finding, byId: Map<string, Finding>): Finding {
  let current = f;
  const seen = new Set<string>();
  while (current.causedBy && !seen.has(current.id!)) {
    seen.add(current.id!);
    const next = byId.get(current.causedBy);
    if (!next) break;
    current = next;
  }
  return current;
}

/**
 * Links findings cause → symptoms by the objects they concern, generally
 * rather than by name: a pod's failing container explains its ReplicaSet's,
 * Deployment's, StatefulSet's or DaemonSet's unavailable replicas and a
 * stalled rollout, and a Service's missing endpoints when the Service
 * selects that pod; an unbound PersistentVolumeClaim explains a pod that
 * cannot be scheduled. A missing ConfigMap or Secret is itself the pod's
 * cause (the analyzer reads it from CreateContainerConfigError).
 *
 * Returns the findings with `id` and `causedBy` set, each cause followed by
 * the findings it explains; chains (Deployment ← Pod ← PVC) keep their order.
 * Trees come worst first by the worst finding in them, so a critical
 * symptom still puts its cause at the top.
 */
export function linkFindings(
  findings: Finding[],
  contexts: AnalysisContext[],
): Finding[] {
  const withIds = assignIds(findings);
  const index = indexFindings(withIds);
  const linked = withIds.map(f => {
    const ctx = contexts.find(c => c.cluster === f.cluster);
    const cause = ctx && causeOf(f, ctx, index);
    return cause && cause.id !== f.id ? { ...f, causedBy: cause.id } : f;
  });
  const byId = new Map(linked.map(f => [f.id!, f]));

  const trees = new Map<
    string,
    { worst: number; order: number; members: Finding[] }
  >();
  linked.forEach((f, order) => {
    const root = rootOf(f, byId);
    const tree = trees.get(root.id!) ?? { worst: -1, order, members: [] };
    tree.worst = Math.max(tree.worst, SEVERITY_RANK[f.severity]);
    tree.order = Math.min(tree.order, order);
    tree.members.push(f);
    trees.set(root.id!, tree);
  });
  const depth = (f: Finding) => {
    let d = 0;
    for (let c = f; c.causedBy && d < linked.length; d++) {
      const next = byId.get(c.causedBy);
      if (!next) break;
      c = next;
    }
    return d;
  };
  return [...trees.values()]
    .sort((a, b) => b.worst - a.worst || a.order - b.order)
    .flatMap(t => [...t.members].sort((a, b) => depth(a) - depth(b)));
}

/** The findings `cause` explains, directly or through a chain. */
export function symptomsOf(cause: Finding, findings: Finding[]): Finding[] {
  const byId = new Map(findings.map(f => [f.id!, f]));
  return findings.filter(
    f => f.id !== cause.id && f.causedBy && rootOf(f, byId).id === cause.id,
  );
}
