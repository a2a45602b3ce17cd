import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { jobAnalyzer } from './job';
import { f, loadContext } from './__fixtures__';

const cases: Array<[string, Finding[]]> = [
  ['healthy-all-kinds', []],
  [
    'job-failed',
    [
      {
        analyzer: 'job',
        code: 'JobFailed',
        severity: 'error',
        cluster: 'prod-eu',
        resource: {
          kind: 'Job',
          namespace: 'shop',
          name: 'nightly-report-28950120',
        },
        container: 'report',
        message:
          'Job shop/nightly-report-28950120 (CronJob nightly-report) failed: its pods failed more often than spec.backoffLimit allows; container "report" of its last pod exited with code 1 (the application exited with a general error).',
        evidence: [
          f('metadata.ownerReferences', 'CronJob/nightly-report'),
          f('status.conditions[Failed].status', 'True'),
          f('status.conditions[Failed].reason', 'BackoffLimitExceeded'),
          f(
            'status.conditions[Failed].message',
            'Job has reached the specified backoff limit',
          ),
          f('status.failed', '3'),
          f('spec.backoffLimit', '2'),
          // The newest of the three failed pods.
          f(
            'Pod/nightly-report-28950120-h5m8n.status.containerStatuses[report].state.terminated.exitCode',
            '1',
          ),
          {
            type: 'log',
            path: 'pods/nightly-report-28950120-h5m8n/log?container=report',
            lines: [
              'Traceback (most recent call last):',
              '    rows = fetch_orders(conn, day)',
              '  File "/app/db.py", line 19, in fetch_orders',
              '    cur.execute(QUERY, (day,))',
              'psycopg2.errors.UndefinedColumn: column "total_cents" does not exist',
              "LINE 1: SELECT id, total_cents FROM orders WHERE day = '2025-01-13'",
            ],
          },
        ],
        proposedFix: {
          description:
            'Fix the cause shown in the log of the failed pod; CronJob nightly-report starts a fresh Job at its next schedule (or create one now from the CronJob).',
        },
      },
    ],
  ],
];

describe('jobAnalyzer', () => {
  it.each(cases)('%s', (fixture, expected) => {
    expect(jobAnalyzer.analyze(loadContext(fixture))).toEqual(expected);
  });

  it('takes a failure with no failed pod left, while its pods run, as a disruption', () => {
    // Shard 2 was evicted by a drain; the Job counted it and replaced it.
    const ctx = loadContext('job-pod-evicted');
    expect(jobAnalyzer.analyze(ctx)).toEqual([]);
    // Without its pods nothing tells a disruption from a crash.
    ctx.pods = [];
    expect(jobAnalyzer.analyze(ctx).map(x => [x.code, x.severity])).toEqual([
      ['ContainerExited', 'warning'],
    ]);
  });

  it('does not read a pod the control plane disrupted as the failure', () => {
    const ctx = loadContext('job-pod-evicted');
    const evicted = JSON.parse(JSON.stringify(ctx.pods[2]));
    evicted.metadata.name = 'video-transcode-2-evicted';
    evicted.status.phase = 'Failed';
    evicted.status.conditions.push({
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'EvictionByEvictionAPI',
      message: 'Eviction API: evicting',
      lastTransitionTime: '2026-01-15T11:58:00Z',
    });
    evicted.status.containerStatuses[0].state = {
      terminated: { exitCode: 143, reason: 'Error' },
    };
    ctx.pods.push(evicted);
    expect(jobAnalyzer.analyze(ctx)).toEqual([]);
  });
});
