import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { deploymentAnalyzer } from './deployment';
import { f, loadContext } from './__fixtures__';

const cases: Array<[string, Finding[]]> = [
  // Includes a Deployment scaled to zero on purpose.
  ['healthy-all-kinds', []],
  // Mid-rollout with surge pods unavailable, within its progress deadline:
  // a change at work, told as information.
  [
    'deployment-rolling',
    [
      {
        analyzer: 'deployment',
        code: 'RolloutInProgress',
        severity: 'info',
        cluster: 'prod-eu',
        resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
        message:
          'Deployment shop/web is rolling out revision 4: 2 of 4 replicas updated, 3 available. It is within its progress deadline (600 s, last progress less than a minute ago) and keeps its minimum availability: a change at work, not a failure.',
        evidence: [
          f('status.conditions[Progressing].status', 'True'),
          f('status.conditions[Progressing].reason', 'ReplicaSetUpdated'),
          f(
            'status.conditions[Progressing].message',
            'ReplicaSet "web-6b7f9c8d4" is progressing.',
          ),
          f('spec.progressDeadlineSeconds', '600'),
          f('status.updatedReplicas', '2'),
          f('spec.replicas', '4'),
          f('status.readyReplicas', '3'),
          f('status.availableReplicas', '3'),
          f('status.unavailableReplicas', '2'),
        ],
      },
    ],
  ],
  // Created 15 s ago: below minimum availability while its two pods pull
  // their image, none failed. The first rollout at work, not an outage.
  [
    'deployment-first-rollout',
    [
      {
        analyzer: 'deployment',
        code: 'RolloutInProgress',
        severity: 'info',
        cluster: 'prod-eu',
        resource: { kind: 'Deployment', namespace: 'shop', name: 'orders' },
        message:
          'Deployment shop/orders is starting its first 2 replicas. It is within its progress deadline (600 s, last progress less than a minute ago) and its pods are still starting, none has failed: a change at work, not yet a failure. Until they are ready it has 0 of 2 replicas available.',
        evidence: expect.arrayContaining([
          f('status.conditions[Progressing].reason', 'ReplicaSetUpdated'),
          f('status.availableReplicas', '0'),
        ]),
      },
    ],
  ],
  [
    'deployment-unavailable',
    [
      {
        analyzer: 'deployment',
        code: 'DeploymentUnavailable',
        severity: 'critical',
        cluster: 'prod-eu',
        resource: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
        message:
          'Deployment shop/checkout has no available replicas (0 of 2): it serves no traffic.',
        evidence: [
          f('status.conditions[Available].status', 'False'),
          f(
            'status.conditions[Available].reason',
            'MinimumReplicasUnavailable',
          ),
          f(
            'status.conditions[Available].message',
            'Deployment does not have minimum availability.',
          ),
          f('spec.replicas', '2'),
          // The API server omits zero counts; the analyzer reads them as 0.
          f('status.readyReplicas', '0'),
          f('status.availableReplicas', '0'),
          f('status.unavailableReplicas', '2'),
        ],
        proposedFix: {
          description:
            "The Deployment's pods are not becoming available: see the pod findings of checkout for the cause (crash, image, scheduling, probes).",
        },
      },
    ],
  ],
  [
    // All three old replicas still serve, so only the stuck rollout is reported.
    'deployment-progress-deadline',
    [
      {
        analyzer: 'deployment',
        code: 'ProgressDeadlineExceeded',
        severity: 'error',
        cluster: 'prod-eu',
        resource: { kind: 'Deployment', namespace: 'shop', name: 'payments' },
        message:
          'Deployment shop/payments stopped progressing: ReplicaSet "payments-5c8d7f6b9" has timed out progressing.',
        evidence: [
          f('status.conditions[Progressing].status', 'False'),
          f(
            'status.conditions[Progressing].reason',
            'ProgressDeadlineExceeded',
          ),
          f(
            'status.conditions[Progressing].message',
            'ReplicaSet "payments-5c8d7f6b9" has timed out progressing.',
          ),
          f('spec.progressDeadlineSeconds', '600'),
          f('status.updatedReplicas', '1'),
          f('spec.replicas', '3'),
          f('status.readyReplicas', '3'),
          f('status.availableReplicas', '3'),
          f('status.unavailableReplicas', '1'),
        ],
        proposedFix: {
          description:
            "The new revision's pods never became available: fix them (see the pod findings of payments), or roll back to the previous revision (kubectl rollout undo deployment/payments).",
        },
      },
    ],
  ],
];

describe('deploymentAnalyzer', () => {
  it.each(cases)('%s', (fixture, expected) => {
    expect(deploymentAnalyzer.analyze(loadContext(fixture))).toEqual(expected);
  });

  it('reports a partially available Deployment outside a rollout as a warning', () => {
    const ctx = loadContext('deployment-rolling');
    const [d] = ctx.deployments;
    d.status!.conditions![1] = {
      ...d.status!.conditions![1],
      reason: 'NewReplicaSetAvailable',
      message: 'ReplicaSet "web-6b7f9c8d4" has successfully progressed.',
    };
    const [finding] = deploymentAnalyzer.analyze(ctx);
    expect(finding).toMatchObject({
      code: 'DeploymentUnavailable',
      severity: 'warning',
      message: 'Deployment shop/web has 3 of 4 replicas available.',
    });
  });
});
