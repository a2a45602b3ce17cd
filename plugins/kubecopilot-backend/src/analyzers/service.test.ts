import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { serviceAnalyzer } from './service';
import { f, loadContext } from './__fixtures__';

const diff =
  ' The closest pod, checkout-7d9f8b6c5d-x7k2p, differs on app.kubernetes.io/component (has "backend", selector wants "api").';

const cases: Array<[string, Finding[]]> = [
  // Includes an ExternalName Service and a selector-less one.
  ['healthy-all-kinds', []],
  [
    'service-selector-mismatch',
    [
      {
        analyzer: 'service',
        code: 'ServiceNoEndpoints',
        severity: 'error',
        cluster: 'prod-eu',
        resource: { kind: 'Service', namespace: 'shop', name: 'checkout-api' },
        message: `Service shop/checkout-api has no endpoints: no pod matches its selector app.kubernetes.io/component=api,app.kubernetes.io/name=checkout.${diff}`,
        evidence: [
          f(
            'spec.selector',
            'app.kubernetes.io/component=api,app.kubernetes.io/name=checkout',
          ),
          f('Endpoints/checkout-api.subsets[*].addresses', '0'),
          f('Endpoints/checkout-api.subsets[*].notReadyAddresses', '0'),
          f('pods matching spec.selector', 'none'),
          f(
            'Pod/checkout-7d9f8b6c5d-x7k2p.metadata.labels.app.kubernetes.io/component',
            'backend',
          ),
        ],
        proposedFix: {
          description: `Change spec.selector of Service shop/checkout-api, or the pod template labels of the workload it should route to, so that they match.${diff}`,
        },
      },
    ],
  ],
  [
    'service-pods-not-ready',
    [
      {
        analyzer: 'service',
        code: 'ServiceNoEndpoints',
        severity: 'error',
        cluster: 'prod-eu',
        resource: { kind: 'Service', namespace: 'shop', name: 'cart' },
        message:
          'Service shop/cart has no ready endpoints: 2 pod(s) match its selector app=cart but none is ready (cart-6c9f7d5b8-t4wz1, cart-6c9f7d5b8-zx9q4).',
        evidence: [
          f('spec.selector', 'app=cart'),
          f(
            'EndpointSlice/cart-x8k2l.endpoints[*].conditions.ready',
            '0 of 2 ready',
          ),
          f(
            'pods matching spec.selector',
            'cart-6c9f7d5b8-t4wz1, cart-6c9f7d5b8-zx9q4',
          ),
        ],
        proposedFix: {
          description:
            'Fix the pods behind the Service (see their findings); it routes traffic to them as soon as they are ready.',
        },
      },
    ],
  ],
];

describe('serviceAnalyzer', () => {
  it.each(cases)('%s', (fixture, expected) => {
    expect(serviceAnalyzer.analyze(loadContext(fixture))).toEqual(expected);
  });

  it('does not guess when neither Endpoints nor EndpointSlices were gathered', () => {
    const ctx = loadContext('service-selector-mismatch');
    ctx.endpoints = [];
    expect(serviceAnalyzer.analyze(ctx)).toEqual([]);
  });

  it('points at the target port when ready pods match but are no endpoints', () => {
    const ctx = loadContext('service-pods-not-ready');
    for (const p of ctx.pods) {
      p.status!.conditions = p.status!.conditions!.map(c =>
        c.type === 'Ready' ? { type: 'Ready', status: 'True' } : c,
      );
    }
    ctx.endpointslices[0].endpoints = [];
    const [finding] = serviceAnalyzer.analyze(ctx);
    expect(finding.message).toBe(
      'Service shop/cart has no ready endpoints although 2 matching pod(s) are ready.',
    );
    expect(finding.proposedFix?.description).toContain('targetPort');
  });
});
