import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { statefulSetAnalyzer } from './statefulset';
import { f, loadContext } from './__fixtures__';

const cases: Array<[string, Finding[]]> = [
  ['healthy-all-kinds', []],
  [
    // zk-1 was replaced 22 s ago and is starting; zk-2 is updated and ready.
    'statefulset-rolling-update',
    [
      {
        analyzer: 'statefulset',
        code: 'RolloutInProgress',
        severity: 'info',
        cluster: 'prod-eu',
        resource: {
          kind: 'StatefulSet',
          namespace: 'w-healthy-statefulset-rolling-update',
          name: 'zk',
        },
        message:
          'StatefulSet w-healthy-statefulset-rolling-update/zk is rolling out revision zk-8b4c6d7f95 (2 of 3 pods updated): 2 of 3 available while it replaces or starts a pod. A change at work, not a failure.',
        evidence: [
          f('spec.replicas', '3'),
          f('status.readyReplicas', '2'),
          f('status.availableReplicas', '2'),
          f('status.currentRevision', 'zk-6f7d9c8b5c'),
          f('status.updateRevision', 'zk-8b4c6d7f95'),
          f('status.updatedReplicas', '2'),
        ],
      },
    ],
  ],
  [
    // redis-2 runs the new revision and crash-loops; 0 and 1 wait on the old one.
    'statefulset-rollout-stuck',
    [
      {
        analyzer: 'statefulset',
        code: 'StatefulSetUnavailable',
        severity: 'warning',
        cluster: 'prod-eu',
        resource: {
          kind: 'StatefulSet',
          namespace: 'w-statefulset-rollout-stuck',
          name: 'redis',
        },
        message:
          'StatefulSet w-statefulset-rollout-stuck/redis has 2 of 3 replicas available while rolling out revision redis-7f96b4d5c8: the rollout waits for pod redis-2, which runs the new revision and is not ready, before it replaces the 2 pods still on redis-5d7c9b8f64.',
        evidence: [
          f('spec.replicas', '3'),
          f('status.readyReplicas', '2'),
          f('status.availableReplicas', '2'),
          f('status.currentRevision', 'redis-5d7c9b8f64'),
          f('status.updateRevision', 'redis-7f96b4d5c8'),
          f('status.updatedReplicas', '1'),
          f('stuckPod', 'redis-2'),
        ],
        proposedFix: {
          description:
            'Fix the new revision (see the pod findings of redis-2) or roll redis back to revision redis-5d7c9b8f64; after a rollback also delete pod redis-2: with OrderedReady pod management the controller keeps waiting for the broken pod to become ready and only recreates it from the restored template once it is deleted (forced rollback).',
          note: 'A rollout restart will not help: it makes yet another revision that waits behind the same broken pod.',
        },
      },
    ],
  ],
  [
    // serviceName zk-hs names no Service; the members' logs cannot resolve their peers.
    'statefulset-service-missing',
    [
      {
        analyzer: 'statefulset',
        code: 'StatefulSetServiceMissing',
        severity: 'error',
        cluster: 'prod-eu',
        resource: {
          kind: 'StatefulSet',
          namespace: 'w-statefulset-headless-service-missing',
          name: 'zk',
        },
        message:
          'StatefulSet w-statefulset-headless-service-missing/zk names spec.serviceName zk-hs, but Service w-statefulset-headless-service-missing/zk-hs does not exist: its pods get no DNS names (zk-0.zk-hs.w-statefulset-headless-service-missing.svc …), so members that reach each other by those names cannot — the logs of zk-0, zk-1, zk-2 name such hosts.',
        evidence: [
          f('spec.serviceName', 'zk-hs'),
          f('Service/zk-hs', 'not found (metadata-only existence check)'),
          f('status.availableReplicas', '0'),
          f('pods whose log names a host under it', 'zk-0, zk-1, zk-2'),
        ],
        proposedFix: {
          description:
            'Create the headless Service zk-hs in w-statefulset-headless-service-missing (clusterIP: None, selector app=zk, the ports the members use, usually publishNotReadyAddresses: true so peers find each other before they are ready).',
          note: 'No plan here creates a Service, and restarting the pods will not help: their names resolve only once the Service exists. spec.serviceName cannot be changed on a StatefulSet.',
        },
      },
      {
        analyzer: 'statefulset',
        code: 'StatefulSetUnavailable',
        severity: 'critical',
        cluster: 'prod-eu',
        resource: {
          kind: 'StatefulSet',
          namespace: 'w-statefulset-headless-service-missing',
          name: 'zk',
        },
        message:
          'StatefulSet w-statefulset-headless-service-missing/zk has 0 of 3 replicas available.',
        evidence: [
          f('spec.replicas', '3'),
          f('status.readyReplicas', '0'),
          f('status.availableReplicas', '0'),
        ],
        proposedFix: {
          description:
            'See the pod findings of zk for why its pods are not ready.',
        },
      },
    ],
  ],
  [
    'statefulset-unavailable',
    [
      {
        analyzer: 'statefulset',
        code: 'StatefulSetUnavailable',
        severity: 'warning',
        cluster: 'prod-eu',
        resource: {
          kind: 'StatefulSet',
          namespace: 'shop',
          name: 'search-indexer',
        },
        message:
          'StatefulSet shop/search-indexer has 1 of 3 replicas available.',
        evidence: [
          f('spec.replicas', '3'),
          f('status.readyReplicas', '1'),
          f('status.availableReplicas', '1'),
        ],
        proposedFix: {
          description:
            'StatefulSet pods start one at a time: find the first pod of search-indexer that is not ready (see its pod findings) and fix it; every later pod waits for it.',
        },
      },
    ],
  ],
];

describe('statefulSetAnalyzer', () => {
  it.each(cases)('%s', (fixture, expected) => {
    expect(statefulSetAnalyzer.analyze(loadContext(fixture))).toEqual(expected);
  });

  it('names the revision being rolled out and escalates when nothing is available', () => {
    const ctx = loadContext('statefulset-unavailable');
    const st = ctx.statefulsets[0].status!;
    Object.assign(st, {
      readyReplicas: 0,
      availableReplicas: 0,
      updateRevision: 'search-indexer-7a8b9c0d1',
    });
    const [finding] = statefulSetAnalyzer.analyze(ctx);
    expect(finding.severity).toBe('critical');
    expect(finding.message).toBe(
      'StatefulSet shop/search-indexer has 0 of 3 replicas available while rolling out revision search-indexer-7a8b9c0d1.',
    );
    expect(finding.evidence).toContainEqual(
      f('status.updateRevision', 'search-indexer-7a8b9c0d1'),
    );
  });

  it('takes a pod shutting down within its grace period as the rollout at work', () => {
    const ctx = loadContext('statefulset-pod-terminating');
    const [finding] = statefulSetAnalyzer.analyze(ctx);
    expect(finding.code).toBe('RolloutInProgress');
    expect(finding.severity).toBe('info');
    // A minute past its grace period it is stuck, not leaving.
    ctx.now = Date.parse('2026-01-15T12:01:30Z');
    expect(statefulSetAnalyzer.analyze(ctx)[0].code).toBe(
      'StatefulSetUnavailable',
    );
  });

  it('counts a replaced pod that is still starting after the window as stuck', () => {
    const ctx = loadContext('statefulset-rolling-update');
    ctx.now = Date.parse('2026-01-15T12:15:00Z');
    const [finding] = statefulSetAnalyzer.analyze(ctx);
    expect(finding.code).toBe('StatefulSetUnavailable');
    expect(finding.message).toContain('the rollout waits for pod zk-1');
  });

  it('notes a missing governing Service no pod log complains about', () => {
    const ctx = loadContext('statefulset-service-missing');
    ctx.logs = [];
    const [finding] = statefulSetAnalyzer.analyze(ctx);
    expect(finding.code).toBe('StatefulSetServiceMissing');
    expect(finding.severity).toBe('info');
    // A word that merely contains the name is no host under the Service.
    ctx.logs = [
      {
        namespace: 'w-statefulset-headless-service-missing',
        pod: 'zk-0',
        container: 'zookeeper',
        previous: false,
        lines: ['ERROR at org.apache.zk-hs.server.Main (zk-hs.properties)'],
      },
    ];
    expect(statefulSetAnalyzer.analyze(ctx)[0].severity).toBe('info');
  });

  it('says nothing of a serviceName that was not checked or exists', () => {
    const ctx = loadContext('statefulset-service-missing');
    delete ctx.missingServices;
    expect(
      statefulSetAnalyzer
        .analyze(ctx)
        .filter(x => x.code === 'StatefulSetServiceMissing'),
    ).toEqual([]);
  });

  it('names the refusal when the controller cannot create the missing pods', () => {
    const [finding] = statefulSetAnalyzer.analyze(
      loadContext('statefulset-quota-failedcreate'),
    );
    expect(finding.code).toBe('StatefulSetUnavailable');
    expect(finding.message).toBe(
      'StatefulSet w-statefulset-quota-failedcreate/postgres has 1 of 3 replicas available and cannot create the others (1 of 3 exist): pods "postgres-1" is forbidden: exceeded quota: compute, requested: limits.memory=4Gi,requests.memory=2Gi, used: limits.memory=6Gi,requests.memory=3Gi, limited: limits.memory=8Gi,requests.memory=4Gi.',
    );
    expect(finding.proposedFix?.description).toMatch(/^A ResourceQuota/);
  });

  it('takes a refusal whose pods all exist since as history', () => {
    const ctx = loadContext('statefulset-quota-failedcreate');
    ctx.statefulsets[0].status!.replicas = 3;
    const [finding] = statefulSetAnalyzer.analyze(ctx);
    expect(finding.message).not.toContain('forbidden');
  });
});
