import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { cronJobAnalyzer, periodOf } from './cronjob';
import { ev, f, loadContext } from './__fixtures__';

const hungRun = 'orders-backup-29472960';

const cases: Array<[string, Finding[]]> = [
  ['healthy-all-kinds', []],
  // Hourly, suspended six days ago: no run is due.
  ['cronjob-suspended', []],
  // Every 30 min, Forbid: the 11:30 run still busy at 12:00 skips one run.
  ['cronjob-forbid-long-run', []],
  [
    // Every 4 h, Forbid: the 08:00 run of yesterday hangs on a table lock.
    'cronjob-forbid-hung-job',
    [
      {
        analyzer: 'cronjob',
        code: 'CronJobMissedRuns',
        severity: 'error',
        cluster: 'prod-eu',
        resource: {
          kind: 'CronJob',
          namespace: 'w-cronjob-forbid-hung-job',
          name: 'orders-backup',
        },
        message: `CronJob w-cronjob-forbid-hung-job/orders-backup has started no run for 28 h although its schedule "0 */4 * * *" runs it every 4 h: Job ${hungRun}, started 28 h ago, is still running and concurrencyPolicy Forbid skips every run while it does. Its last successful run finished 32 h ago.`,
        evidence: [
          f('spec.schedule', '0 */4 * * *'),
          f('spec.concurrencyPolicy', 'Forbid'),
          f('status.lastScheduleTime', '2026-01-14T08:00:00Z'),
          f('status.lastSuccessfulTime', '2026-01-14T04:07:12Z'),
          f('status.active', `Job/${hungRun}`),
          f(`Job/${hungRun}.status.startTime`, '2026-01-14T08:00:01Z'),
          ev(
            'JobAlreadyActive',
            'Not starting job because prior execution is running and concurrency policy is Forbid',
            7,
          ),
          {
            type: 'log',
            path: `pods/${hungRun}-llxnr/log?container=backup`,
            lines: [
              '2026-01-14T08:00:03Z INFO starting backup of database orders (host orders-db-0.orders-db.w-cronjob-forbid-hung-job.svc:5432)',
              '2026-01-14T08:00:03Z INFO running pg_dump --format=custom --lock-wait-timeout=0 orders',
              '2026-01-14T08:00:04Z INFO pg_dump: reading table definitions',
              '2026-01-14T08:00:04Z INFO pg_dump: locking table public.orders_archive',
            ],
          },
        ],
        proposedFix: {
          description: `Find out why Job ${hungRun} never ends (its pod's log), then delete it (kubectl delete job ${hungRun}) so the next scheduled run can start, and set spec.jobTemplate.spec.activeDeadlineSeconds of CronJob orders-backup so a run that hangs is stopped instead of blocking the schedule.`,
          note: 'No plan here deletes a Job, and restarting anything else will not help: the schedule stays blocked while that Job runs.',
        },
      },
    ],
  ],
];

describe('cronJobAnalyzer', () => {
  it.each(cases)('%s', (fixture, expected) => {
    expect(cronJobAnalyzer.analyze(loadContext(fixture))).toEqual(expected);
  });

  it('says nothing while less than two periods have passed since the last run', () => {
    const ctx = loadContext('cronjob-forbid-hung-job');
    ctx.now = Date.parse('2026-01-14T16:04:00Z');
    expect(cronJobAnalyzer.analyze(ctx)).toEqual([]);
  });

  it('takes the newest Job it owns as its last run when the status says nothing', () => {
    const ctx = loadContext('cronjob-forbid-long-run');
    delete ctx.cronjobs[0].status;
    expect(cronJobAnalyzer.analyze(ctx)).toEqual([]);
  });

  it('reports a schedule that starts nothing without an active Job too', () => {
    const ctx = loadContext('cronjob-suspended');
    ctx.cronjobs[0].spec!.suspend = false;
    const [finding] = cronJobAnalyzer.analyze(ctx);
    expect(finding.message).toBe(
      'CronJob w-healthy-cronjob-suspended/report-export has started no run for 6 d although its schedule "0 * * * *" runs it every 60 min. Its last successful run finished 6 d ago.',
    );
  });

  it('reads macros, time zones and irregular schedules by their longest gap', () => {
    const from = Date.parse('2026-01-15T12:00:00Z');
    expect(periodOf('@daily', undefined, from)).toBe(24 * 3600_000);
    expect(periodOf('CRON_TZ=Europe/Berlin 0 3 * * *', undefined, from)).toBe(
      24 * 3600_000,
    );
    // Weekdays at 09:00: the weekend is the longest gap.
    expect(periodOf('0 9 * * 1-5', 'UTC', from)).toBe(3 * 24 * 3600_000);
    expect(periodOf('@every 1h', undefined, from)).toBeUndefined();
    expect(periodOf('61 * * * *', undefined, from)).toBeUndefined();
  });
});
