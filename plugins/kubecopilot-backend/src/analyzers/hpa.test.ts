import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { hpaAnalyzer } from './hpa';
import { ev, f, loadContext } from './__fixtures__';

const missingRequest =
  'missing request for cpu in container app of Pod orders-5f6d8c7b9-w8x2n';

const cases: Array<[string, Finding[]]> = [
  // Includes an HPA paused because its target is scaled to zero (ScalingDisabled).
  ['healthy-all-kinds', []],
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
});
