import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { daemonSetAnalyzer } from './daemonset';
import { f, loadContext } from './__fixtures__';

const cases: Array<[string, Finding[]]> = [
  ['healthy-all-kinds', []],
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
});
