import type { V1ContainerStatus, V1Job, V1Pod } from '@kubernetes/client-node';
import type { AnalysisContext, ContainerLog } from './types';
import { findLog, timeOf } from './common';

/** A Job's newest failed pod, the container that failed in it, and its log. */
export interface JobFailure {
  pod?: V1Pod;
  exited?: V1ContainerStatus;
  log?: ContainerLog;
}

export function latestFailure(ctx: AnalysisContext, job: V1Job): JobFailure {
  const namespace = job.metadata?.namespace;
  const name = job.metadata?.name ?? '';
  const pods = ctx.pods
    .filter(
      p =>
        p.metadata?.namespace === namespace &&
        (p.metadata?.ownerReferences?.some(
          o => o.kind === 'Job' && o.name === name,
        ) ||
          p.metadata?.labels?.['job-name'] === name),
    )
    .filter(p => p.status?.phase === 'Failed')
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
