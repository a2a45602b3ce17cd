import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { statefulSetAnalyzer } from './statefulset';
import { f, loadContext } from './__fixtures__';

const cases: Array<[string, Finding[]]> = [
  ['healthy-all-kinds', []],
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
});
