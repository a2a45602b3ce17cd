import type { V1Job } from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from './types';
import { compact, field, logEvidence, makeFinding, refOf } from './common';
import { latestFailure, podsOfJob } from './jobPods';
import { explainExit } from './pod/exitCodes';
import { headlineError } from './pod/crashLoop';
import { truncate } from './pod/scope';

const NAME = 'job';

/**
 * A Job still running whose pods have failed and that has not succeeded
 * yet: the failure before the limit. A warning with the exit explained,
 * since the same exit usually repeats until spec.backoffLimit stops it.
 * A Job that finished (Complete or Failed) is judged by its conditions.
 */
export function retrying(
  ctx: AnalysisContext,
  job: V1Job,
): Finding | undefined {
  const finished = job.status?.conditions?.some(
    c => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  const failed = job.status?.failed ?? 0;
  if (finished || failed === 0 || (job.status?.succeeded ?? 0) > 0) {
    return undefined;
  }
  const { pod, exited, log } = latestFailure(ctx, job);
  // No failed pod of its own left while its pods are gathered: the failures
  // counted were pods disrupted (a node drain, preemption) or deleted, and
  // the Job already replaced them. Its containers did not fail.
  if (!pod && podsOfJob(ctx, job).length > 0) return undefined;
  const t = exited?.state?.terminated;
  const limit = job.spec?.backoffLimit ?? 6;
  const line = log ? headlineError(log.lines) : undefined;
  const id = `Job ${job.metadata?.namespace}/${job.metadata?.name}`;
  return makeFinding(NAME, ctx, {
    code: 'ContainerExited',
    severity: 'warning',
    resource: refOf('Job', job),
    ...(exited ? { container: exited.name } : {}),
    message: `${id} is retrying: ${failed} of its pods failed (spec.backoffLimit ${limit})${
      t && exited
        ? `; container "${exited.name}" of the latest exited with code ${
            t.exitCode
          }: ${explainExit(t)}`
        : ''
    }.${line ? ` Its log says: ${truncate(line.trim(), 240)}` : ''}`,
    evidence: compact([
      field('status.failed', failed),
      field('spec.backoffLimit', limit),
      field('status.active', job.status?.active ?? 0),
      t && exited && pod
        ? field(
            `Pod/${pod.metadata?.name}.status.containerStatuses[${exited.name}].state.terminated.exitCode`,
            t.exitCode,
          )
        : undefined,
      logEvidence(log),
    ]),
    proposedFix: {
      description: `Fix the cause the latest failed pod's log shows before ${id} reaches its backoffLimit; retries run the same command and fail the same way.`,
    },
  });
}
