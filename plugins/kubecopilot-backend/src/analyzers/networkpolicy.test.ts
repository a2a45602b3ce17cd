import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { serviceAnalyzer } from './service';
import { f, loadContext } from './__fixtures__';

const DENY = 'n-netpol-default-deny';
const PORT = 'n-netpol-service-port';
const STAY =
  'connections through the Service time out while the pods stay ready.';

const cases: Array<[string, Finding[]]> = [
  ['healthy-all-kinds', []],
  [
    'netpol-default-deny',
    [
      {
        analyzer: 'service',
        code: 'NetworkPolicyBlocksService',
        severity: 'warning',
        cluster: 'prod-eu',
        resource: { kind: 'Service', namespace: DENY, name: 'catalog' },
        message: `NetworkPolicies let no traffic reach the pods of Service ${DENY}/catalog on port 8080/TCP. NetworkPolicy default-deny-ingress isolates its pods for ingress, and no ingress rule lets anything in; ${STAY}`,
        evidence: [
          f('spec.selector', 'app=catalog'),
          f(
            'NetworkPolicy/default-deny-ingress.spec',
            'podSelector {} (all pods); ingress rules 0',
          ),
          f('pod ports the Service sends to', '8080/TCP'),
        ],
        proposedFix: {
          description: `Allow ingress to the pods of Service ${DENY}/catalog on port 8080/TCP from its clients (for example the ingress controller's namespace) in a NetworkPolicy. Changing NetworkPolicies is not a plan KubeCopilot offers, and restarting the pods will not help.`,
        },
      },
    ],
  ],
  [
    'netpol-service-port',
    [
      {
        analyzer: 'service',
        code: 'NetworkPolicyBlocksService',
        severity: 'warning',
        cluster: 'prod-eu',
        resource: { kind: 'Service', namespace: PORT, name: 'orders' },
        message: `NetworkPolicies let no traffic reach the pods of Service ${PORT}/orders on port 8080/TCP. NetworkPolicy default-deny-ingress, allow-orders-from-ingress isolate its pods for ingress, and the ingress rules only open 80/TCP; ${STAY}`,
        evidence: [
          f('spec.selector', 'app=orders'),
          f(
            'NetworkPolicy/default-deny-ingress.spec',
            'podSelector {} (all pods); ingress rules 0',
          ),
          f(
            'NetworkPolicy/allow-orders-from-ingress.spec',
            'podSelector app=orders; ingress rules 1 (ports 80/TCP)',
          ),
          f('pod ports the Service sends to', '8080/TCP'),
        ],
        proposedFix: {
          description: `Allow ingress to the pods of Service ${PORT}/orders on port 8080/TCP from its clients (for example the ingress controller's namespace) in a NetworkPolicy — a rule's ports are the pods' ports, not the Service's. Changing NetworkPolicies is not a plan KubeCopilot offers, and restarting the pods will not help.`,
        },
      },
    ],
  ],
];

describe('serviceAnalyzer and NetworkPolicies', () => {
  it.each(cases)('%s', (fixture, expected) => {
    expect(serviceAnalyzer.analyze(loadContext(fixture))).toEqual(expected);
  });

  it('is quiet once a rule opens the pods port, by number, by name, in a range or with no ports at all', () => {
    const opens = [
      [{ port: 8080, protocol: 'TCP' }],
      [{ port: 'http', protocol: 'TCP' }],
      [{ port: 8000, endPort: 8999, protocol: 'TCP' }],
      undefined,
    ];
    for (const ports of opens) {
      const ctx = loadContext('netpol-service-port');
      const allow = ctx.networkpolicies!.find(
        p => p.metadata?.name === 'allow-orders-from-ingress',
      )!;
      allow.spec!.ingress![0].ports = ports as any;
      expect(serviceAnalyzer.analyze(ctx)).toEqual([]);
    }
  });

  it('ignores policies that isolate other pods, egress-only policies, and policies it could not read', () => {
    const ctx = loadContext('netpol-default-deny');
    const deny = ctx.networkpolicies!.find(
      p => p.metadata?.name === 'default-deny-ingress',
    )!;
    deny.spec!.policyTypes = ['Egress'];
    expect(serviceAnalyzer.analyze(ctx)).toEqual([]);
    deny.spec!.policyTypes = ['Ingress'];
    deny.spec!.podSelector = { matchLabels: { app: 'frontend' } };
    expect(serviceAnalyzer.analyze(ctx)).toEqual([]);
    const unknown = loadContext('netpol-default-deny');
    delete unknown.networkpolicies;
    expect(serviceAnalyzer.analyze(unknown)).toEqual([]);
  });
});
