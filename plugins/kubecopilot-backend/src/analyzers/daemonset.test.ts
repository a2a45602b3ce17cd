import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { daemonSetAnalyzer } from './daemonset';
import { f, loadContext } from './__fixtures__';

const cases: Array<[string, Finding[]]> = [
  ['healthy-all-kinds', []],
  [
    // The third node's pod was replaced 9 s ago and is pulling its image.
    'daemonset-rolling-update',
    [
      {
        analyzer: 'daemonset',
        code: 'RolloutInProgress',
        severity: 'info',
        cluster: 'prod-eu',
        resource: {
          kind: 'DaemonSet',
          namespace: 'w-healthy-daemonset-rolling-update',
          name: 'fluent-bit',
        },
        message:
          'DaemonSet w-healthy-daemonset-rolling-update/fluent-bit runs its latest template on all 3 nodes: unavailable on 1 of 3 nodes while it replaces or starts a pod there. A change at work, not a failure.',
        evidence: [
          f('status.desiredNumberScheduled', '3'),
          f('status.numberReady', '2'),
          f('status.numberAvailable', '2'),
          f('status.numberUnavailable', '1'),
        ],
      },
    ],
  ],
  [
    // The first replaced pod cannot pull 3.2.40; two nodes keep 3.2.4.
    'daemonset-rollout-imagepull',
    [
      {
        analyzer: 'daemonset',
        code: 'DaemonSetUnavailable',
        severity: 'warning',
        cluster: 'prod-eu',
        resource: {
          kind: 'DaemonSet',
          namespace: 'w-daemonset-rollout-imagepull',
          name: 'fluent-bit',
        },
        message:
          'DaemonSet w-daemonset-rollout-imagepull/fluent-bit is unavailable on 1 of 3 nodes; its rolling update is stuck with 1 of 3 nodes updated: it replaces no further pod while the new ones are unavailable.',
        evidence: [
          f('status.desiredNumberScheduled', '3'),
          f('status.numberReady', '2'),
          f('status.numberAvailable', '2'),
          f('status.numberUnavailable', '1'),
          f('status.updatedNumberScheduled', '1'),
        ],
        proposedFix: {
          description:
            'The new template of fluent-bit does not come up (see the pod findings of fluent-bit): fix it, or roll back to the previous revision (kubectl rollout undo daemonset/fluent-bit).',
          note: 'A restart alone will not help: its pods are recreated from the same template.',
        },
      },
    ],
  ],
  [
    'daemonset-unavailable',
    [
      {
        analyzer: 'daemonset',
        code: 'DaemonSetUnavailable',
        severity: 'warning',
        cluster: 'prod-eu',
        resource: {
          kind: 'DaemonSet',
          namespace: 'monitoring',
          name: 'node-exporter',
        },
        message:
          'DaemonSet monitoring/node-exporter is unavailable on 1 of 3 nodes.',
        evidence: [
          f('status.desiredNumberScheduled', '3'),
          f('status.numberReady', '2'),
          f('status.numberAvailable', '2'),
          f('status.numberUnavailable', '1'),
        ],
        proposedFix: {
          description:
            'See the pod findings of node-exporter for why its pods are not ready on those nodes (often a node-specific problem: taints, resources, or the node itself).',
        },
      },
    ],
  ],
];

describe('daemonSetAnalyzer', () => {
  it.each(cases)('%s', (fixture, expected) => {
    expect(daemonSetAnalyzer.analyze(loadContext(fixture))).toEqual(expected);
  });

  it('names the refusal when the controller cannot create pods on some nodes', () => {
    const ctx = loadContext('daemonset-rollout-imagepull');
    const ds = ctx.daemonsets[0];
    ds.status!.currentNumberScheduled = 2;
    ctx.events.push({
      metadata: {
        name: 'fluent-bit.1',
        namespace: 'w-daemonset-rollout-imagepull',
      },
      involvedObject: {
        kind: 'DaemonSet',
        name: 'fluent-bit',
        namespace: 'w-daemonset-rollout-imagepull',
      },
      reason: 'FailedCreate',
      type: 'Warning',
      message:
        'Error creating: pods "fluent-bit-x7k2p" is forbidden: violates PodSecurity "baseline:latest": hostPath volumes (volume "varlog")',
      count: 12,
      lastTimestamp: '2026-01-15T11:59:00Z' as unknown as Date,
    });
    const [finding] = daemonSetAnalyzer.analyze(ctx);
    expect(finding.message).toBe(
      'DaemonSet w-daemonset-rollout-imagepull/fluent-bit is unavailable on 1 of 3 nodes and cannot create its pods on 1 of them: pods "fluent-bit-x7k2p" is forbidden: violates PodSecurity "baseline:latest": hostPath volumes (volume "varlog").',
    );
    expect(finding.proposedFix?.description).toMatch(/^An admission policy/);
  });

  it('blames Pod Security admission for a DaemonSet none of whose pods exist', () => {
    const [finding] = daemonSetAnalyzer.analyze(
      loadContext('daemonset-podsecurity-refused'),
    );
    expect(finding.severity).toBe('critical');
    expect(finding.message).toMatch(
      /^DaemonSet w-daemonset-podsecurity-refused\/node-exporter is unavailable on 3 of 3 nodes and cannot create its pods on 3 of them: pods "node-exporter-\w+" is forbidden: violates PodSecurity "baseline:latest"/,
    );
    expect(finding.proposedFix?.description).toMatch(/^An admission policy/);
  });
});
