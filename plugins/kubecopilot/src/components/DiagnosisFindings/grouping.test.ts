import { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { groupFindingsByWorkload, workloadOf } from './grouping';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    analyzer: 'pod',
    code: 'CrashLoopBackOff',
    severity: 'error',
    cluster: 'demo',
    resource: { kind: 'Pod', namespace: 'shop', name: 'checkout-7d9f-abcde' },
    message: 'crash-looping',
    evidence: [
      {
        type: 'field',
        path: 'metadata.ownerReferences',
        value: 'ReplicaSet/checkout-7d9f → Deployment/checkout',
      },
    ],
    ...overrides,
  };
}

describe('workloadOf', () => {
  it('takes the last link of the owner chain', () => {
    expect(workloadOf(finding())).toEqual({
      kind: 'Deployment',
      name: 'checkout',
    });
  });

  it('falls back to the finding’s own object', () => {
    expect(
      workloadOf(
        finding({
          resource: { kind: 'Service', namespace: 'shop', name: 'checkout' },
          evidence: [{ type: 'field', path: 'spec.selector', value: 'a=b' }],
        }),
      ),
    ).toEqual({ kind: 'Service', name: 'checkout' });
    expect(
      workloadOf(
        finding({
          evidence: [
            { type: 'field', path: 'metadata.ownerReferences', value: '' },
          ],
        }),
      ),
    ).toEqual({ kind: 'Pod', name: 'checkout-7d9f-abcde' });
  });
});

describe('groupFindingsByWorkload', () => {
  it('puts pods of one workload together, the most severe workload first', () => {
    const groups = groupFindingsByWorkload([
      finding({
        resource: { kind: 'Service', namespace: 'shop', name: 'checkout' },
        code: 'ServiceNoEndpoints',
        severity: 'warning',
        evidence: [],
      }),
      finding(),
      finding({
        resource: {
          kind: 'Pod',
          namespace: 'shop',
          name: 'checkout-7d9f-fghij',
        },
        severity: 'critical',
        code: 'OOMKilled',
      }),
      finding({ cluster: 'demo-eu' }),
    ]);
    expect(
      groups.map(g => [g.key, g.severity, g.findings.map(f => f.code)]),
    ).toEqual([
      [
        'demo/shop/Deployment/checkout',
        'critical',
        ['OOMKilled', 'CrashLoopBackOff'],
      ],
      ['demo-eu/shop/Deployment/checkout', 'error', ['CrashLoopBackOff']],
      ['demo/shop/Service/checkout', 'warning', ['ServiceNoEndpoints']],
    ]);
  });
});
