import type { V1Job } from '@kubernetes/client-node';
import type {
  Finding,
  FindingEvidence,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from './types';
import { explainExit } from './pod/exitCodes';
import { latestFailure } from './jobPods';
import { retrying } from './jobRetrying';
import {
  clause,
  compact,
  conditionEvidence,
  field,
  logEvidence,
  makeFinding,
  refOf,
  timeOf,
} from './common';

const NAME = 'job';

export const jobAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['Job'],
  analyze(ctx) {
    return ctx.jobs.flatMap(job => {
      const f = analyzeJob(ctx, job) ?? retrying(ctx, job);
      return f ? [f] : [];
    });
  },
};

const REASON_TEXT: Record<string, string> = {
  BackoffLimitExceeded:
    'its pods failed more often than spec.backoffLimit allows',
  DeadlineExceeded: 'it ran longer than spec.activeDeadlineSeconds',
  PodFailurePolicy:
    'a pod failure matched a FailJob rule of spec.podFailurePolicy',
};

function laterRunSucceeded(
  ctx: AnalysisContext,
  job: V1Job,
  cronJob: string,
): boolean {
  const created = timeOf(job.metadata?.creationTimestamp);
  return ctx.jobs.some(
    j =>
      j !== job &&
      j.metadata?.namespace === job.metadata?.namespace &&
      j.metadata?.ownerReferences?.some(
        o => o.kind === 'CronJob' && o.name === cronJob,
      ) &&
      timeOf(j.metadata?.creationTimestamp) > created &&
      j.status?.conditions?.some(
        c => c.type === 'Complete' && c.status === 'True',
      ),
  );
}

function analyzeJob(ctx: AnalysisContext, job: V1Job): Finding | undefined {
  const failed = job.status?.conditions?.find(
    c => c.type === 'Failed' && c.status === 'True',
  );
  if (!failed) return undefined;
  const namespace = job.metadata?.namespace;
  const name = job.metadata?.name ?? '';
  const cronJob = job.metadata?.ownerReferences?.find(
    o => o.kind === 'CronJob',
  );
  // A CronJob keeps its failed Jobs (failedJobsHistoryLimit): once a later
  // run completed, the failure is history and the schedule works again.
  if (cronJob && laterRunSucceeded(ctx, job, cronJob.name)) return undefined;
  // The newest failed pod of the Job holds the log of the failure.
  const { pod, exited, log } = latestFailure(ctx, job);

  const why =
    REASON_TEXT[failed.reason ?? ''] ??
    clause(failed.message ?? failed.reason ?? 'it failed');
  const evidence: FindingEvidence[] = compact([
    cronJob
      ? field('metadata.ownerReferences', `CronJob/${cronJob.name}`)
      : undefined,
    ...conditionEvidence('status.conditions', failed),
    field('status.failed', job.status?.failed ?? 0),
    job.spec?.backoffLimit !== undefined && failed.reason !== 'DeadlineExceeded'
      ? field('spec.backoffLimit', job.spec.backoffLimit)
      : undefined,
    job.spec?.activeDeadlineSeconds !== undefined &&
    failed.reason === 'DeadlineExceeded'
      ? field('spec.activeDeadlineSeconds', job.spec.activeDeadlineSeconds)
      : undefined,
    exited
      ? field(
          `Pod/${pod!.metadata?.name}.status.containerStatuses[${
            exited.name
          }].state.terminated.exitCode`,
          exited.state!.terminated!.exitCode,
        )
      : undefined,
    logEvidence(log),
  ]);
  return makeFinding(NAME, ctx, {
    code: 'JobFailed',
    severity: 'error',
    resource: refOf('Job', job),
    ...(exited ? { container: exited.name } : {}),
    message: `Job ${namespace}/${name}${
      cronJob ? ` (CronJob ${cronJob.name})` : ''
    } failed: ${why}${
      exited
        ? `; container "${exited.name}" of its last pod exited with code ${
            exited.state!.terminated!.exitCode
          } (${explainExit(exited.state!.terminated!)})`
        : ''
    }.`,
    evidence,
    // A failed Job is not retried by restarting anything; it needs a fixed run.
    proposedFix: { description: jobFix(job, failed.reason, cronJob?.name) },
  });
}

function jobFix(
  job: V1Job,
  reason: string | undefined,
  cronJob: string | undefined,
): string {
  if (reason === 'DeadlineExceeded') {
    return `The Job ran out of time (spec.activeDeadlineSeconds ${
      job.spec?.activeDeadlineSeconds ?? '?'
    }): find what made it slow (its log, a dependency, its resources) or give it a longer deadline; the deadline also stops retries.`;
  }
  // A failed Job is not retried by restarting anything; it needs a fixed run.
  return cronJob
    ? `Fix the cause shown in the log of the failed pod; CronJob ${cronJob} starts a fresh Job at its next schedule (or create one now from the CronJob).`
    : `Fix the cause shown in the log of the failed pod, then run the Job again (a failed Job does not retry after its limit).`;
}
