import type { V1Pod } from '@kubernetes/client-node';
import type {
  Finding,
  ObjectRef,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from '../types';
import {
  ago,
  clause,
  field,
  makeFinding,
  nowOf,
  timeOf,
  workloadOf,
  WorkloadOwner,
} from '../common';
import { NAME } from './scope';

/** Controllers that replace a failed pod with a new one. */
const REPLACING = new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet']);

/** A failed pod that its controller has replaced (evicted, preempted, …). */
export function isReplacedPod(pod: V1Pod): boolean {
  if (pod.status?.phase !== 'Failed') return false;
  const owner =
    pod.metadata?.ownerReferences?.find(o => o.controller) ??
    pod.metadata?.ownerReferences?.[0];
  return !!owner && REPLACING.has(owner.kind);
}

const isReady = (p: V1Pod) =>
  p.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True') ??
  false;

const sameRef = (a: ObjectRef, b: ObjectRef) =>
  a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;

/** Whether the workload runs all its replicas now (from its own status, else its pods). */
function workloadHealthy(
  ctx: AnalysisContext,
  owner: WorkloadOwner,
  live: V1Pod[],
): boolean {
  const { ref } = owner;
  const match = (o: { metadata?: { name?: string; namespace?: string } }) =>
    o.metadata?.name === ref.name && o.metadata?.namespace === ref.namespace;
  if (ref.kind === 'Deployment') {
    const d = ctx.deployments.find(match);
    if (d) return (d.status?.availableReplicas ?? 0) >= (d.spec?.replicas ?? 1);
  }
  if (ref.kind === 'StatefulSet') {
    const s = ctx.statefulsets.find(match);
    if (s) return (s.status?.readyReplicas ?? 0) >= (s.spec?.replicas ?? 1);
  }
  if (ref.kind === 'DaemonSet') {
    const d = ctx.daemonsets.find(match);
    if (d)
      return (
        (d.status?.numberAvailable ?? 0) >=
        (d.status?.desiredNumberScheduled ?? 0)
      );
  }
  return live.length > 0 && live.every(isReady);
}

/**
 * Failed pods a controller has already replaced: evicted or preempted pods
 * stay in the API until someone deletes them. While the replacements are
 * ready they are housekeeping (info), one finding per workload; while the
 * workload is short of replicas, an eviction is a warning that names why
 * (its symptoms are the workload's own findings).
 */
export function leftovers(ctx: AnalysisContext): Finding[] {
  const groups = new Map<string, { owner: WorkloadOwner; pods: V1Pod[] }>();
  for (const pod of ctx.pods.filter(isReplacedPod)) {
    const owner = workloadOf(ctx, pod);
    if (!owner) continue;
    const key = `${owner.ref.kind}/${owner.ref.namespace}/${owner.ref.name}`;
    const g = groups.get(key) ?? { owner, pods: [] };
    g.pods.push(pod);
    groups.set(key, g);
  }
  const now = nowOf(ctx);
  return [...groups.values()].map(({ owner, pods }) => {
    const live = ctx.pods.filter(p => {
      if (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded')
        return false;
      const o = workloadOf(ctx, p);
      return !!o && sameRef(o.ref, owner.ref);
    });
    const healthy = workloadHealthy(ctx, owner, live);
    const reasons = [
      ...new Set(
        pods.map(p =>
          clause(
            [p.status?.reason, p.status?.message].filter(Boolean).join(': '),
          ),
        ),
      ),
    ].filter(Boolean);
    const latest = Math.max(
      ...pods.map(
        p =>
          timeOf(
            p.status?.conditions?.find(c => c.type === 'Ready')
              ?.lastTransitionTime as Date | string | undefined,
          ) || timeOf(p.status?.startTime as Date | string | undefined),
      ),
    );
    const evicted = pods.some(p => p.status?.reason === 'Evicted');
    const n = pods.length;
    const what = `${n} ${evicted ? 'evicted' : 'failed'} ${
      n === 1 ? 'pod' : 'pods'
    } of ${owner.ref.kind} ${owner.ref.name}`;
    const when = latest ? `, the latest ${ago(now - latest)} ago` : '';
    const because = reasons.length
      ? ` — ${reasons.slice(0, 2).join('; ')}`
      : '';
    return makeFinding(NAME, ctx, {
      code: 'LeftoverPods',
      severity: healthy ? 'info' : 'warning',
      resource: owner.ref,
      message: healthy
        ? `${what} ${
            n === 1 ? 'is' : 'are'
          } left over${when}${because}. Their replacements are ready: only housekeeping is left.`
        : `${what}${when}${because}. The workload is short of ready replicas now; see its other findings.`,
      evidence: pods
        .slice(0, 5)
        .flatMap(p => [
          field(`Pod/${p.metadata?.name}.status.phase`, p.status?.phase ?? ''),
          ...(p.status?.reason
            ? [field(`Pod/${p.metadata?.name}.status.reason`, p.status.reason)]
            : []),
          ...(p.status?.message
            ? [
                field(
                  `Pod/${p.metadata?.name}.status.message`,
                  p.status.message,
                ),
              ]
            : []),
        ]),
      proposedFix: {
        description: healthy
          ? `Delete the failed pods when convenient (kubectl delete pod -n ${owner.ref.namespace} --field-selector=status.phase=Failed); they use no resources but clutter the view.`
          : `Find out why the node ${
              evicted ? 'evicted' : 'failed'
            } them (node pressure, preemption) before deleting them.`,
      },
    });
  });
}
