import {
  findingSchema,
  Severity,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { runAnalyzers } from './runAnalyzers';
import { loadContext } from './__fixtures__';

/**
 * The present decides, history is context (#13): each rule against a
 * fixture written as the API server returns it, with its healthy
 * look-alike beside it. `expected` lists every finding, worst first.
 */
interface Expected {
  code: string;
  severity: Severity;
  resource: string;
  container?: string;
  /** Parts the message must contain, in words a person would use. */
  says: string[];
}

const cases: Array<[string, string, Expected[]]> = [
  [
    'a container that crash-looped this morning and runs and is ready for 3 h',
    'pod-recovered',
    [
      {
        code: 'ContainerRecovered',
        severity: 'info',
        resource: 'Pod/cart-6c9f7d5b8-t4wz1',
        container: 'app',
        says: [
          'recovered 3 h ago after 4 restarts',
          'code 1 (Error), the application exited with a general error',
        ],
      },
    ],
  ],
  [
    'a container that exited once with 127 and has not restarted yet',
    'pod-exited-once',
    [
      {
        code: 'ContainerExited',
        severity: 'error',
        resource: 'Pod/mailer-5b7c9d8f6-k2m4p',
        container: 'app',
        says: [
          'exited with code 127 (Error): its command was not found in the image',
          'It has not restarted yet (restartCount 0)',
          'Its log says: /bin/sh: 1: /app/bin/mailer-server: not found',
        ],
      },
    ],
  ],
  [
    'a native sidecar crash-looping, its events without fieldPath',
    'pod-sidecar-crashloop',
    [
      {
        code: 'CrashLoopBackOff',
        severity: 'error',
        resource: 'Pod/search-7f8d9c6b5-z9x8w',
        container: 'log-shipper',
        says: ['is crash-looping', 'restarted 5 times'],
      },
    ],
  ],
  [
    'evicted pods from two days ago whose replacements are ready',
    'pod-evicted-leftovers',
    [
      {
        code: 'LeftoverPods',
        severity: 'info',
        resource: 'Deployment/recommendations',
        says: [
          '3 evicted pods of Deployment recommendations are left over, the latest 2 d ago',
          'The node was low on resource: memory',
          'only housekeeping is left',
        ],
      },
    ],
  ],
  [
    'keys missing from a ConfigMap and a Secret that exist',
    'pod-missing-key',
    [
      {
        code: 'MissingConfigMap',
        severity: 'warning',
        resource: 'Pod/payments-6d8f7c9b5-h3j6k',
        container: 'app',
        says: ['ConfigMap "payments-config" has no key "log_level"'],
      },
      {
        code: 'MissingSecret',
        severity: 'warning',
        resource: 'Pod/payments-6d8f7c9b5-h3j6k',
        container: 'app',
        says: ['Secret "payments-db" has no key "password"'],
      },
    ],
  ],
  [
    'a paused Deployment',
    'deployment-paused',
    [
      {
        code: 'DeploymentPaused',
        severity: 'info',
        resource: 'Deployment/inventory',
        says: ['is paused: changes to its pod template wait'],
      },
    ],
  ],
  [
    'an old pod draining during a rolling update, its readiness failing',
    'deployment-terminating-rollout',
    [
      {
        code: 'RolloutInProgress',
        severity: 'info',
        resource: 'Deployment/web',
        says: [
          'is rolling out revision 9: 2 of 3 replicas updated, 3 available',
          'within its progress deadline (600 s',
        ],
      },
    ],
  ],
  [
    'a scale-up refused by a ResourceQuota',
    'replicaset-failed-create',
    [
      {
        code: 'ReplicaSetFailedCreate',
        severity: 'error',
        resource: 'Deployment/orders',
        says: [
          'ReplicaSet orders-5f6d8c7b9 of Deployment shop/orders cannot create pods (3 of 4 exist)',
          'exceeded quota: compute-resources',
        ],
      },
    ],
  ],
  ['an HPA pinned by design (minReplicas = maxReplicas)', 'hpa-pinned', []],
  [
    'a DaemonSet pod left on a node tainted after it started',
    'daemonset-misscheduled',
    [
      {
        code: 'DaemonSetMisscheduled',
        severity: 'info',
        resource: 'DaemonSet/log-shipper',
        says: [
          'runs 1 pod on nodes it would no longer schedule onto',
          'a replacement would not be placed there',
        ],
      },
    ],
  ],
  [
    'a Job that succeeded after a retry, and a CronJob whose latest run succeeded after a failed one',
    'job-succeeded-after-retry',
    [],
  ],
  [
    'a Job stopped by activeDeadlineSeconds',
    'job-deadline-exceeded',
    [
      {
        code: 'JobFailed',
        severity: 'error',
        resource: 'Job/reindex-catalog',
        container: 'report',
        says: [
          'it ran longer than spec.activeDeadlineSeconds',
          'exited with code 143 (it was stopped with SIGTERM',
        ],
      },
    ],
  ],
  [
    "a StatefulSet pod unschedulable because its template's claim names no StorageClass",
    'statefulset-pvc-pending',
    [
      {
        code: 'StatefulSetUnavailable',
        severity: 'critical',
        resource: 'StatefulSet/orders-db',
        says: ['0 of 1 replicas available'],
      },
      {
        code: 'Unschedulable',
        severity: 'error',
        resource: 'Pod/orders-db-0',
        says: [
          'pod has unbound immediate PersistentVolumeClaims',
          'PersistentVolumeClaim data-orders-db-0 is Pending: it names no StorageClass and the cluster has no default StorageClass',
        ],
      },
      {
        code: 'PvcPending',
        severity: 'error',
        resource: 'PersistentVolumeClaim/data-orders-db-0',
        says: ['no default StorageClass'],
      },
    ],
  ],
  [
    'an Ingress whose TLS Secret and IngressClass do not exist, beside a healthy one',
    'ingress-missing-tls',
    [
      {
        code: 'IngressMissingTlsSecret',
        severity: 'error',
        resource: 'Ingress/storefront-beta',
        says: ['TLS Secret "beta-shop-tls"', 'beta.shop.example.com'],
      },
      {
        code: 'IngressMissingClass',
        severity: 'error',
        resource: 'Ingress/storefront-beta',
        says: ['IngressClass "nginx-internal", which does not exist'],
      },
    ],
  ],
];

describe('analyzers judge the present, with history as context', () => {
  it.each(cases)('%s (%s)', (_what, fixture, expected) => {
    const { findings, errors } = runAnalyzers(loadContext(fixture));
    expect(errors).toEqual([]);
    expect(
      findings.map(f => ({
        code: f.code,
        severity: f.severity,
        resource: `${f.resource.kind}/${f.resource.name}`,
        ...(f.container ? { container: f.container } : {}),
      })),
    ).toEqual(expected.map(({ says: _, ...rest }) => rest));
    findings.forEach((f, i) => {
      for (const part of expected[i].says) expect(f.message).toContain(part);
      expect(findingSchema.parse(f)).toEqual(f);
    });
  });

  it('calls a recovered container still crash-looping while it has run only briefly', () => {
    const ctx = loadContext('pod-recovered');
    // Two minutes after it came back, the back-off has not reset yet.
    ctx.now = Date.parse('2025-01-14T06:43:12Z');
    const [finding] = runAnalyzers(ctx).findings;
    expect(finding).toMatchObject({
      code: 'CrashLoopBackOff',
      severity: 'error',
    });
  });

  it('reports restarts that keep coming back as a warning', () => {
    const ctx = loadContext('pod-recovered');
    const cs = ctx.pods[0].status!.containerStatuses![0];
    cs.state = { running: { startedAt: new Date('2025-01-14T09:10:00Z') } };
    cs.lastState!.terminated!.finishedAt = new Date('2025-01-14T09:09:58Z');
    cs.restartCount = 9;
    ctx.events = [];
    const [finding] = runAnalyzers(ctx).findings;
    expect(finding).toMatchObject({
      code: 'ContainerRecovered',
      severity: 'warning',
    });
    expect(finding.message).toContain(
      'has restarted 9 times, the last time 31 min ago: the restarts keep coming back',
    );
  });

  it('attributes an event without fieldPath to the container its message names, and only to it', () => {
    const ctx = loadContext('pod-sidecar-crashloop');
    const [finding] = runAnalyzers(ctx).findings;
    expect(finding.evidence).toContainEqual(
      expect.objectContaining({ type: 'event', reason: 'BackOff', count: 38 }),
    );
    // A message that names another container is not this one's.
    ctx.events[0].message = ctx.events[0].message!.replace(
      'log-shipper',
      'app',
    );
    const [other] = runAnalyzers(ctx).findings;
    expect(other.evidence).not.toContainEqual(
      expect.objectContaining({ type: 'event', reason: 'BackOff' }),
    );
  });

  it('attributes an event without fieldPath to the only container of a pod', () => {
    const ctx = loadContext('pod-crashloop');
    for (const e of ctx.events) delete e.involvedObject.fieldPath;
    const [finding] = runAnalyzers(ctx).findings;
    expect(finding.evidence).toContainEqual(
      expect.objectContaining({ type: 'event', reason: 'BackOff' }),
    );
  });

  it('reports evictions as a warning while the workload is short of replicas', () => {
    const ctx = loadContext('pod-evicted-leftovers');
    ctx.deployments[0].status!.availableReplicas = 1;
    const [finding] = runAnalyzers(ctx).findings.filter(
      f => f.code === 'LeftoverPods',
    );
    expect(finding.severity).toBe('warning');
  });

  it('reports the failed Job of a CronJob whose later run did not succeed', () => {
    const ctx = loadContext('job-succeeded-after-retry');
    ctx.jobs = ctx.jobs.filter(
      j => j.metadata?.name !== 'nightly-report-28951560',
    );
    expect(runAnalyzers(ctx).findings.map(f => f.code)).toEqual(['JobFailed']);
  });

  it('reports a Job that is retrying after a failed pod, before its backoffLimit', () => {
    const ctx = loadContext('job-succeeded-after-retry');
    ctx.cronjobs = [];
    ctx.jobs = ctx.jobs.filter(j => j.metadata?.name === 'db-migrate-v42');
    ctx.pods = ctx.pods.filter(
      p => p.metadata?.name === 'db-migrate-v42-7xk2p',
    );
    ctx.jobs[0].status = { active: 1, failed: 1, startTime: new Date() };
    const { findings } = runAnalyzers(ctx);
    expect(
      findings.map(f => [f.code, f.severity, f.resource.kind, f.container]),
    ).toEqual([['ContainerExited', 'warning', 'Job', 'report']]);
    expect(findings[0].message).toBe(
      'Job shop/db-migrate-v42 is retrying: 1 of its pods failed (spec.backoffLimit 6); container "report" of the latest exited with code 1: the application exited with a general error.',
    );
  });

  it('reads an HPA that cannot get metrics from its recent events when its status has no conditions, not from old ones', () => {
    const ctx = loadContext('hpa-unable-to-scale');
    ctx.hpas[0].status!.conditions = [];
    expect(runAnalyzers(ctx).findings.map(f => f.code)).toEqual([
      'HpaUnableToScale',
    ]);
    ctx.now = Date.parse('2025-01-14T12:00:00Z');
    expect(runAnalyzers(ctx).findings).toEqual([]);
  });

  it('reports an HPA at its maximum when the maximum is above the minimum', () => {
    const ctx = loadContext('hpa-pinned');
    ctx.hpas[0].spec!.minReplicas = 2;
    expect(runAnalyzers(ctx).findings.map(f => f.code)).toEqual([
      'HpaAtMaxReplicas',
    ]);
  });

  it('does not judge a claim it cannot place: unknown StorageClasses, provisioning under way', () => {
    const ctx = loadContext('statefulset-pvc-pending');
    delete ctx.storageclasses;
    ctx.events = ctx.events.filter(e => e.reason !== 'FailedBinding');
    expect(runAnalyzers(ctx).findings.map(f => f.code)).toEqual([
      'StatefulSetUnavailable',
      'Unschedulable',
    ]);
  });

  it('names a StorageClass that does not exist', () => {
    const ctx = loadContext('statefulset-pvc-pending');
    ctx.pvcs[0].spec!.storageClassName = 'fast-ssd';
    const pvc = runAnalyzers(ctx).findings.find(f => f.code === 'PvcPending');
    expect(pvc?.message).toContain('StorageClass "fast-ssd" does not exist');
  });

  it('keeps the evidence of a missing Secret key to key names', () => {
    const { findings } = runAnalyzers(loadContext('pod-missing-key'));
    const secret = findings.find(f => f.code === 'MissingSecret');
    expect(secret?.evidence).toContainEqual({
      type: 'field',
      path: 'Secret/payments-db keys',
      value: 'pass, username',
    });
  });

  describe('a scale-up the controller has not noted yet', () => {
    // Scaled 3 → 4 seconds ago: Progressing still reads NewReplicaSetAvailable.
    function scaledUp(waiting: { reason: string; message?: string }) {
      const ctx = loadContext('deployment-paused');
      const [d] = ctx.deployments;
      delete d.spec!.paused;
      d.spec!.replicas = 4;
      d.status!.updatedReplicas = 4;
      d.status!.replicas = 4;
      d.status!.conditions![1] = {
        type: 'Progressing',
        status: 'True',
        lastUpdateTime: new Date('2025-01-10T08:00:00Z'),
        lastTransitionTime: new Date('2025-01-10T08:00:00Z'),
        reason: 'NewReplicaSetAvailable',
        message:
          'ReplicaSet "inventory-7b5d6c9f8" has successfully progressed.',
      };
      const fresh = JSON.parse(JSON.stringify(ctx.pods[0]));
      fresh.metadata.name = 'inventory-7b5d6c9f8-n3w4p';
      fresh.metadata.creationTimestamp = '2025-01-14T08:59:54Z';
      fresh.status.conditions = fresh.status.conditions.map(
        (c: { type: string }) =>
          c.type === 'Ready' || c.type === 'ContainersReady'
            ? { ...c, status: 'False', reason: 'ContainersNotReady' }
            : c,
      );
      fresh.status.containerStatuses[0] = {
        ...fresh.status.containerStatuses[0],
        ready: false,
        started: false,
        state: { waiting: waiting },
      };
      ctx.pods.push(fresh);
      return ctx;
    }

    it('is a rollout at work while the new pod is only starting', () => {
      const { findings } = runAnalyzers(
        scaledUp({ reason: 'ContainerCreating' }),
      );
      expect(findings.map(f => [f.code, f.severity])).toEqual([
        ['RolloutInProgress', 'info'],
      ]);
      expect(findings[0].message).toContain(
        'is scaling to 4 replicas: 3 available so far',
      );
    });

    it('is a problem once the new pod fails', () => {
      const { findings } = runAnalyzers(
        scaledUp({
          reason: 'ErrImagePull',
          message:
            'rpc error: code = NotFound desc = failed to pull and unpack image',
        }),
      );
      expect(findings.map(f => [f.code, f.severity])).toEqual([
        ['ImagePullBackOff', 'error'],
        ['DeploymentUnavailable', 'warning'],
      ]);
    });
  });
});
