import type { V1Pod } from '@kubernetes/client-node';
import type { ObjectRef } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from './types';
import { nowOf, timeOf, workloadOf } from './common';

const STARTING_REASONS = new Set(['ContainerCreating', 'PodInitializing']);

/**
 * How long a replaced or added pod may take to become ready before its
 * workload counts as stuck, for the kinds without a progress deadline of
 * their own (StatefulSets, DaemonSets): the Deployment default.
 */
export const STARTING_WINDOW_MS = 600_000;

/** A pod that is young and on its way up: no restart, no failure, not refused. */
export function isStarting(pod: V1Pod, now: number, windowMs: number): boolean {
  const age = now - timeOf(pod.metadata?.creationTimestamp);
  if (!(age >= 0 && age < windowMs)) return false;
  const unschedulable = pod.status?.conditions?.some(
    c => c.type === 'PodScheduled' && c.reason === 'Unschedulable',
  );
  if (unschedulable) return false;
  return [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ].every(
    cs =>
      (cs.restartCount ?? 0) === 0 &&
      (!cs.state?.waiting ||
        STARTING_REASONS.has(cs.state.waiting.reason ?? '')) &&
      !(cs.state?.terminated && cs.state.terminated.exitCode !== 0),
  );
}

function isReady(pod: V1Pod): boolean {
  return !!pod.status?.conditions?.some(
    c => c.type === 'Ready' && c.status === 'True',
  );
}

function isOwnedBy(ctx: AnalysisContext, p: V1Pod, ref: ObjectRef): boolean {
  const owner = workloadOf(ctx, p)?.ref;
  return (
    owner?.kind === ref.kind &&
    owner.name === ref.name &&
    p.metadata?.namespace === ref.namespace
  );
}

/**
 * The live pods of a workload (Deployment, StatefulSet, DaemonSet) that are
 * not ready: neither terminating nor finished.
 */
export function notReadyPodsOf(ctx: AnalysisContext, ref: ObjectRef): V1Pod[] {
  return ctx.pods.filter(p => {
    return (
      isOwnedBy(ctx, p, ref) &&
      !p.metadata?.deletionTimestamp &&
      p.status?.phase !== 'Failed' &&
      p.status?.phase !== 'Succeeded' &&
      !isReady(p)
    );
  });
}

/**
 * Some pods of the workload are not ready and every one of them is only
 * starting (a rollout replacing it, a scale-up adding it): the change at
 * work, not a failure.
 */
export function onlyStarting(
  ctx: AnalysisContext,
  ref: ObjectRef,
  windowMs: number = STARTING_WINDOW_MS,
): boolean {
  const now = nowOf(ctx);
  const notReady = notReadyPodsOf(ctx, ref);
  return (
    notReady.length > 0 && notReady.every(p => isStarting(p, now, windowMs))
  );
}

/** A deleted pod past its grace period by more than this is stuck, not leaving. */
const LEAVING_MS = 60_000;

/**
 * The workload is replacing pods, one at a time as StatefulSets and
 * DaemonSets do: a pod it deleted is shutting down within its grace period,
 * or a pod it created is starting, and no other pod is failing.
 */
export function onlyReplacing(
  ctx: AnalysisContext,
  ref: ObjectRef,
  windowMs: number = STARTING_WINDOW_MS,
): boolean {
  const now = nowOf(ctx);
  const notReady = notReadyPodsOf(ctx, ref);
  const leaving = ctx.pods.filter(
    p => isOwnedBy(ctx, p, ref) && !!p.metadata?.deletionTimestamp,
  );
  if (notReady.length + leaving.length === 0) return false;
  return (
    notReady.every(p => isStarting(p, now, windowMs)) &&
    leaving.every(
      p =>
        now -
          timeOf(p.metadata?.deletionTimestamp as Date | string | undefined) <
        LEAVING_MS,
    )
  );
}
