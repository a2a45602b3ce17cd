import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { pdbAnalyzer } from './pdb';
import { f, loadContext } from './__fixtures__';

const cases: Array<[string, Finding[]]> = [
  ['healthy-all-kinds', []],
  [
    // minAvailable 3 of 3 replicas; one of them on a cordoned node.
    'pdb-blocks-drain',
    [
      {
        analyzer: 'pdb',
        code: 'PdbNoDisruptionsAllowed',
        severity: 'warning',
        cluster: 'prod-eu',
        resource: {
          kind: 'PodDisruptionBudget',
          namespace: 'w-pdb-blocks-drain',
          name: 'payments-api',
        },
        message:
          'PodDisruptionBudget w-pdb-blocks-drain/payments-api never allows a voluntary disruption: spec.minAvailable 3 requires 3 of its 3 pods healthy, so every eviction is refused and node drains, upgrades and autoscaler scale-downs wait on its pods. Node w-pdb-blocks-drain-node is cordoned and still runs pod payments-api-7b6f9d8c4d-j5l6t: a drain of it waits on this budget.',
        evidence: [
          f('spec.minAvailable', '3'),
          f('status.expectedPods', '3'),
          f('status.desiredHealthy', '3'),
          f('status.currentHealthy', '3'),
          f('status.disruptionsAllowed', '0'),
          f('status.conditions[DisruptionAllowed].status', 'False'),
          f('status.conditions[DisruptionAllowed].reason', 'InsufficientPods'),
          f('Node/w-pdb-blocks-drain-node.spec.unschedulable', 'true'),
        ],
        proposedFix: {
          description:
            'Let payments-api allow one pod down: set spec.maxUnavailable: 1 (or spec.minAvailable below the 3 pods it covers), or run more replicas than it requires.',
          note: 'No plan here changes a PodDisruptionBudget: edit it where it is declared (its repository or chart). Deleting it to finish a drain removes the protection for every later disruption too.',
        },
      },
    ],
  ],
  [
    // maxUnavailable 1, one pod replaced by a rollout 15 s ago.
    'pdb-rollout',
    [
      {
        analyzer: 'pdb',
        code: 'PdbNoDisruptionsAllowed',
        severity: 'info',
        cluster: 'prod-eu',
        resource: {
          kind: 'PodDisruptionBudget',
          namespace: 'w-healthy-pdb-rollout',
          name: 'orders-api',
        },
        message:
          'PodDisruptionBudget w-healthy-pdb-rollout/orders-api allows no eviction right now: 2 of its 3 pods are healthy, exactly the 2 it requires. It allows evictions again once its pods are healthy (a rollout at work, or a failing pod: see the pod findings).',
        evidence: [
          f('spec.maxUnavailable', '1'),
          f('status.expectedPods', '3'),
          f('status.desiredHealthy', '2'),
          f('status.currentHealthy', '2'),
          f('status.disruptionsAllowed', '0'),
          f('status.conditions[DisruptionAllowed].status', 'False'),
          f('status.conditions[DisruptionAllowed].reason', 'InsufficientPods'),
        ],
      },
    ],
  ],
];

describe('pdbAnalyzer', () => {
  it.each(cases)('%s', (fixture, expected) => {
    expect(pdbAnalyzer.analyze(loadContext(fixture))).toEqual(expected);
  });

  it('says nothing of a budget that allows a disruption, or one not read', () => {
    const ctx = loadContext('pdb-blocks-drain');
    Object.assign(ctx.pdbs![0].status!, {
      desiredHealthy: 2,
      disruptionsAllowed: 1,
    });
    expect(pdbAnalyzer.analyze(ctx)).toEqual([]);
    delete ctx.pdbs;
    expect(pdbAnalyzer.analyze(ctx)).toEqual([]);
  });

  it('reads maxUnavailable 0 as a budget that never allows a disruption', () => {
    const ctx = loadContext('pdb-rollout');
    const pdb = ctx.pdbs![0];
    pdb.spec!.maxUnavailable = 0;
    Object.assign(pdb.status!, { desiredHealthy: 3, currentHealthy: 3 });
    const [finding] = pdbAnalyzer.analyze(ctx);
    expect(finding.severity).toBe('warning');
    expect(finding.message).toContain(
      'spec.maxUnavailable 0 requires 3 of its 3 pods healthy',
    );
  });
});
