import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { hpaAnalyzer } from './hpa';
import { ev, f, loadContext } from './__fixtures__';

const missingRequest =
  'missing request for cpu in container app of Pod orders-5f6d8c7b9-w8x2n';

const cases: Array<[string, Finding[]]> = [
  // Includes an HPA paused because its target is scaled to zero (ScalingDisabled).
  ['healthy-all-kinds', []],
  // Scaled 4 -> 6 and 6 -> 4 a few times, each size the HPA's own choice.
  ['hpa-oscillating', []],
  // At max 8 with 38 % CPU of a 70 % target, waiting out its stabilization window.
  ['hpa-at-max-cooling-down', []],
  [
    // Argo CD applies replicas: 3; the HPA scales back to 6, nine times.
    'hpa-replicas-fight',
    [
      {
        analyzer: 'hpa',
        code: 'HpaReplicasOverridden',
        severity: 'warning',
        cluster: 'prod-eu',
        resource: {
          kind: 'HorizontalPodAutoscaler',
          namespace: 'w-hpa-gitops-replicas-fight',
          name: 'search-api',
        },
        message:
          "Something other than HorizontalPodAutoscaler w-hpa-gitops-replicas-fight/search-api keeps setting Deployment search-api to 3 replicas, a size the autoscaler never chose: it scaled it back to 6 9 times in 26 min, and each round removes pods that were serving load. The Deployment carries Argo CD's tracking marks: its sync applying a manifest with replicas: 3 is the likely writer.",
        evidence: [
          f('spec.scaleTargetRef', 'Deployment/search-api'),
          f('Deployment/search-api.spec.replicas', '6'),
          ev(
            'ScalingReplicaSet',
            'Scaled down replica set search-api-5c7d8f9b6d from 6 to 3',
            9,
          ),
          ev(
            'ScalingReplicaSet',
            'Scaled up replica set search-api-5c7d8f9b6d from 3 to 6',
            9,
          ),
          ev(
            'SuccessfulRescale',
            'New size: 6; reason: cpu resource utilization (percentage of request) above target',
            10,
          ),
        ],
        proposedFix: {
          description:
            'Let the HPA alone own the replica count: remove spec.replicas from the manifest of Deployment search-api (or have Argo CD ignore /spec/replicas with ignoreDifferences), as the Kubernetes docs say for Deployments that an HPA scales.',
          note: 'No plan here helps: scaling by hand is one more writer in the same fight.',
        },
      },
    ],
  ],
  [
    'hpa-at-max',
    [
      {
        analyzer: 'hpa',
        code: 'HpaAtMaxReplicas',
        severity: 'warning',
        cluster: 'prod-eu',
        resource: {
          kind: 'HorizontalPodAutoscaler',
          namespace: 'shop',
          name: 'checkout',
        },
        message:
          'HorizontalPodAutoscaler shop/checkout runs Deployment checkout at its maximum of 10 replicas; load above this is not absorbed.',
        evidence: [
          f('status.currentReplicas', '10'),
          f('spec.maxReplicas', '10'),
          f('status.desiredReplicas', '10'),
          f('status.currentMetrics[cpu].current.averageUtilization', '187'),
          f('spec.metrics[cpu].target.averageUtilization', '70'),
          f('status.conditions[ScalingLimited].status', 'True'),
          f('status.conditions[ScalingLimited].reason', 'TooManyReplicas'),
          f(
            'status.conditions[ScalingLimited].message',
            'the desired replica count is more than the maximum replica count',
          ),
        ],
        proposedFix: {
          description:
            'Raise spec.maxReplicas of HorizontalPodAutoscaler shop/checkout if the cluster has room, or make each replica of Deployment checkout handle more load (resources, efficiency).',
        },
      },
    ],
  ],
  [
    'hpa-unable-to-scale',
    [
      {
        analyzer: 'hpa',
        code: 'HpaUnableToScale',
        severity: 'error',
        cluster: 'prod-eu',
        resource: {
          kind: 'HorizontalPodAutoscaler',
          namespace: 'shop',
          name: 'orders',
        },
        message: `HorizontalPodAutoscaler shop/orders cannot scale Deployment orders: the HPA was unable to compute the replica count: failed to get cpu utilization: ${missingRequest}`,
        evidence: [
          f('status.conditions[ScalingActive].status', 'False'),
          f(
            'status.conditions[ScalingActive].reason',
            'FailedGetResourceMetric',
          ),
          f(
            'status.conditions[ScalingActive].message',
            `the HPA was unable to compute the replica count: failed to get cpu utilization: ${missingRequest}`,
          ),
          ev(
            'FailedGetResourceMetric',
            `failed to get cpu utilization: ${missingRequest}`,
            40,
          ),
          ev(
            'FailedComputeMetricsReplicas',
            `invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: ${missingRequest}`,
            40,
          ),
        ],
        proposedFix: {
          description:
            'Utilization targets are relative to requests: set resources.requests for the named resource on every container of Deployment orders.',
        },
      },
    ],
  ],
];

describe('hpaAnalyzer', () => {
  it.each(cases)('%s', (fixture, expected) => {
    expect(hpaAnalyzer.analyze(loadContext(fixture))).toEqual(expected);
  });

  it('takes a fight that stopped half an hour ago as history', () => {
    const ctx = loadContext('hpa-replicas-fight');
    ctx.now = Date.parse('2026-01-15T12:40:00Z');
    expect(
      hpaAnalyzer.analyze(ctx).filter(x => x.code === 'HpaReplicasOverridden'),
    ).toEqual([]);
  });

  it('takes one manual scale the HPA undid as no fight', () => {
    const ctx = loadContext('hpa-replicas-fight');
    for (const e of ctx.events) {
      if (e.reason === 'ScalingReplicaSet') e.count = 1;
    }
    expect(
      hpaAnalyzer.analyze(ctx).filter(x => x.code === 'HpaReplicasOverridden'),
    ).toEqual([]);
  });

  it('reads a maximum as capping only when the autoscaler wants more', () => {
    const ctx = loadContext('hpa-at-max-cooling-down');
    const h = ctx.hpas[0];
    // Without the condition, the utilization below target says the same.
    h.status!.conditions = h.status!.conditions!.filter(
      c => c.type !== 'ScalingLimited',
    );
    expect(hpaAnalyzer.analyze(ctx)).toEqual([]);
    h.status!.currentMetrics![0].resource!.current!.averageUtilization = 96;
    expect(hpaAnalyzer.analyze(ctx).map(x => x.code)).toEqual([
      'HpaAtMaxReplicas',
    ]);
  });
});
