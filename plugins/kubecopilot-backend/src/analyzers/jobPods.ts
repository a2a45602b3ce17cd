import type { V1ContainerStatus, V1Job, V1Pod } from '@kubernetes/client-node';
import type { AnalysisContext, ContainerLog } from './types';
import { findLog, timeOf } from './common';

/** A Job's newest failed pod, the container that failed in it, and its log. */
export interface JobFailure {
  pod?: V1Pod;
  exited?: V1ContainerStatus;
  log?: ContainerLog;
}

/** The pods of a Job in the context. */
export function podsOfJob(ctx: AnalysisContext, job: V1Job): V1Pod[] {
  const namespace = job.metadata?.namespace;
  const name = job.metadata?.name ?? '';
  return ctx.pods.filter(
    p =>
      p.metadata?.namespace === namespace &&
      (p.metadata?.ownerReferences?.some(
        o => o.kind === 'Job' && o.name === name,
      ) ||
        p.metadata?.labels?.['job-name'] === name),
  );
}

/**
 * A pod that failed because it was disrupted (evicted by a drain, preempted,
 * removed by the taint manager or the kubelet), not because its containers
 * failed: the control plane sets DisruptionTarget before it stops the pod.
 */
export function disrupted(pod: V1Pod): boolean {
  return !!pod.status?.conditions?.some(
    c => c.type === 'DisruptionTarget' && c.status === 'True',
  );
}

/** The newest failed pod of the Job that was not disrupted, its failed container and log. */
export function latestFailure(ctx: AnalysisContext, job: V1Job): JobFailure {
  const namespace = job.metadata?.namespace;
  const pods = podsOfJob(ctx, job)
    .filter(p => p.status?.phase === 'Failed' && !disrupted(p))
    .sort(
      (a, b) =>
        timeOf(b.metadata?.creationTimestamp) -
        timeOf(a.metadata?.creationTimestamp),
    );
  const pod = pods[0];
  const exited = pod?.status?.containerStatuses?.find(
    cs => cs.state?.terminated && cs.state.terminated.exitCode !== 0,
  );
  const log =
    pod && exited
      ? findLog(ctx, namespace, pod.metadata?.name, exited.name, false) ??
        findLog(ctx, namespace, pod.metadata?.name, exited.name, true)
      : undefined;
  return { pod, exited, log };
}
