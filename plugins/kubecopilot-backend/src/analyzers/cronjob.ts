import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import { CronTime } from 'cron';
import type {
  Finding,
  ProposedFix,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from './types';
import {
  ago,
  compact,
  eventEvidence,
  eventsFor,
  field,
  findLog,
  latestEvents,
  logEvidence,
  makeFinding,
  nowOf,
  refOf,
  stamp,
  timeOf,
} from './common';

const NAME = 'cronjob';

export const cronJobAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['CronJob'],
  analyze(ctx) {
    return ctx.cronjobs.flatMap(c => {
      const f = missedRuns(ctx, c);
      return f ? [f] : [];
    });
  },
};

/** The macros the CronJob controller accepts besides five fields. */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/**
 * The longest gap between the next few runs after `from` (ms), or undefined
 * for a schedule this cannot read: judged by the gap rather than the exact
 * next time, the rule does not depend on where in its period `from` falls.
 */
export function periodOf(
  schedule: string,
  timeZone: string | undefined,
  from: number,
): number | undefined {
  let expr = schedule.trim();
  let zone = timeZone ?? 'UTC';
  const tz = /^(?:CRON_)?TZ=(\S+)\s+(.+)$/.exec(expr);
  if (tz) [zone, expr] = [tz[1], tz[2]];
  expr = MACROS[expr] ?? expr;
  if (expr.split(/\s+/).length !== 5) return undefined;
  try {
    const time = new CronTime(expr, zone);
    const runs = [from];
    for (let i = 0; i < 4; i++) {
      runs.push(
        time.getNextDateFrom(new Date(runs[runs.length - 1])).toMillis(),
      );
    }
    return Math.max(...runs.slice(2).map((r, i) => r - runs[i + 1]));
  } catch {
    return undefined;
  }
}

/**
 * A CronJob that starts no run although its schedule says it should have,
 * at least one whole period ago. With concurrencyPolicy Forbid an active
 * Job that never ends is the usual reason: every run is skipped while it
 * runs ("Not starting job because prior execution is running and
 * concurrency policy is Forbid"). A suspended CronJob is paused on purpose.
 */
function missedRuns(ctx: AnalysisContext, cj: V1CronJob): Finding | undefined {
  const schedule = cj.spec?.schedule;
  if (cj.spec?.suspend || !schedule) return undefined;
  const last = lastRun(ctx, cj);
  const period = last ? periodOf(schedule, cj.spec?.timeZone, last) : 0;
  if (!period) return undefined;
  const grace = Math.max(
    (cj.spec?.startingDeadlineSeconds ?? 0) * 1000,
    5 * 60_000,
  );
  const elapsed = nowOf(ctx) - last;
  if (elapsed <= 2 * period + grace) return undefined;

  const ns = cj.metadata?.namespace;
  const active = (cj.status?.active ?? [])
    .map(a =>
      ctx.jobs.find(
        j => j.metadata?.name === a.name && j.metadata?.namespace === ns,
      ),
    )
    .filter((j): j is V1Job => !!j)
    .sort((a, b) => startOf(a) - startOf(b));
  const blocking =
    cj.spec?.concurrencyPolicy === 'Forbid' ? active[0] : undefined;
  const events = eventsFor(ctx, 'CronJob', ns, cj.metadata?.name ?? '').filter(
    e => e.type === 'Warning' || e.reason === 'JobAlreadyActive',
  );
  const id = `CronJob ${ns}/${cj.metadata?.name}`;
  const lastSuccess = timeOf(
    cj.status?.lastSuccessfulTime as Date | string | undefined,
  );
  const why = blocking
    ? `: Job ${blocking.metadata?.name}, started ${ago(
        nowOf(ctx) - startOf(blocking),
      )} ago, is still running and concurrencyPolicy Forbid skips every run while it does`
    : '';
  return makeFinding(NAME, ctx, {
    code: 'CronJobMissedRuns',
    severity: 'error',
    resource: refOf('CronJob', cj),
    message: `${id} has started no run for ${ago(
      elapsed,
    )} although its schedule "${schedule}" runs it every ${ago(period)}${why}.${
      lastSuccess
        ? ` Its last successful run finished ${ago(
            nowOf(ctx) - lastSuccess,
          )} ago.`
        : ''
    }`,
    evidence: compact([
      field('spec.schedule', schedule),
      cj.spec?.timeZone ? field('spec.timeZone', cj.spec.timeZone) : undefined,
      field('spec.concurrencyPolicy', cj.spec?.concurrencyPolicy ?? 'Allow'),
      cj.spec?.startingDeadlineSeconds !== undefined
        ? field('spec.startingDeadlineSeconds', cj.spec.startingDeadlineSeconds)
        : undefined,
      field(
        'status.lastScheduleTime',
        stamp(cj.status?.lastScheduleTime as Date | string | undefined),
      ),
      lastSuccess
        ? field(
            'status.lastSuccessfulTime',
            stamp(cj.status?.lastSuccessfulTime as Date | string | undefined),
          )
        : undefined,
      active.length > 0
        ? field(
            'status.active',
            active.map(j => `Job/${j.metadata?.name}`).join(', '),
          )
        : undefined,
      blocking
        ? field(
            `Job/${blocking.metadata?.name}.status.startTime`,
            stamp(blocking.status?.startTime as Date | string | undefined),
          )
        : undefined,
      ...latestEvents(events, 2).map(eventEvidence),
      blocking ? logEvidence(jobLog(ctx, blocking)) : undefined,
    ]),
    proposedFix: fixOf(cj, blocking),
  });
}

/**
 * When the schedule last started a run: status.lastScheduleTime, or the
 * newest Job the CronJob owns if that is later (a status not written yet),
 * or the CronJob's creation when it never ran.
 */
function lastRun(ctx: AnalysisContext, cj: V1CronJob): number {
  const owned = ctx.jobs
    .filter(
      j =>
        j.metadata?.namespace === cj.metadata?.namespace &&
        j.metadata?.ownerReferences?.some(
          o => o.kind === 'CronJob' && o.name === cj.metadata?.name,
        ),
    )
    .map(j => timeOf(j.metadata?.creationTimestamp));
  return Math.max(
    timeOf(cj.status?.lastScheduleTime as Date | string | undefined),
    timeOf(cj.metadata?.creationTimestamp),
    ...owned,
  );
}

function startOf(job: V1Job): number {
  return (
    timeOf(job.status?.startTime as Date | string | undefined) ||
    timeOf(job.metadata?.creationTimestamp)
  );
}

/** The current log of the running pod of a Job, if it was read. */
function jobLog(ctx: AnalysisContext, job: V1Job) {
  const ns = job.metadata?.namespace;
  const pod = ctx.pods.find(
    p =>
      p.metadata?.namespace === ns &&
      p.status?.phase === 'Running' &&
      p.metadata?.ownerReferences?.some(
        o => o.kind === 'Job' && o.name === job.metadata?.name,
      ),
  );
  const container = pod?.spec?.containers?.[0]?.name;
  return pod && container
    ? findLog(ctx, ns, pod.metadata?.name, container, false)
    : undefined;
}

function fixOf(cj: V1CronJob, blocking: V1Job | undefined): ProposedFix {
  if (blocking) {
    const job = blocking.metadata?.name;
    return {
      description: `Find out why Job ${job} never ends (its pod's log), then delete it (kubectl delete job ${job}) so the next scheduled run can start, and set spec.jobTemplate.spec.activeDeadlineSeconds of CronJob ${cj.metadata?.name} so a run that hangs is stopped instead of blocking the schedule.`,
      note: 'No plan here deletes a Job, and restarting anything else will not help: the schedule stays blocked while that Job runs.',
    };
  }
  return {
    description: `Read the CronJob's events for why no Job is created (FailedCreate: a quota or an admission policy; MissSchedule: a startingDeadlineSeconds shorter than the controller's delay) and check that kube-controller-manager runs.`,
  };
}
