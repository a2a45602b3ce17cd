import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { ingressAnalyzer } from './ingress';
import { f, loadContext } from './__fixtures__';

const cases: Array<[string, Finding[]]> = [
  ['healthy-all-kinds', []],
  [
    'ingress-missing-service',
    [
      {
        analyzer: 'ingress',
        code: 'IngressMissingService',
        severity: 'error',
        cluster: 'prod-eu',
        resource: { kind: 'Ingress', namespace: 'shop', name: 'storefront' },
        message:
          'Ingress shop/storefront routes to Service "checkout-api-v2" that does not exist in namespace shop; requests for it fail (typically 503).',
        evidence: [
          f(
            'spec.rules[0].http.paths[1].backend.service.name',
            'checkout-api-v2',
          ),
          f('services in namespace shop', 'storefront'),
        ],
        proposedFix: {
          description:
            'Point the backend(s) of Ingress shop/storefront at an existing Service, or create Service "checkout-api-v2" in namespace shop.',
        },
      },
    ],
  ],
];

describe('ingressAnalyzer', () => {
  it.each(cases)('%s', (fixture, expected) => {
    expect(ingressAnalyzer.analyze(loadContext(fixture))).toEqual(expected);
  });

  it('checks the default backend too and reports several missing Services in one finding', () => {
    const ctx = loadContext('ingress-missing-service');
    ctx.ingresses[0].spec!.defaultBackend = {
      service: { name: 'fallback', port: { number: 80 } },
    };
    const findings = ingressAnalyzer.analyze(ctx);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toBe(
      'Ingress shop/storefront routes to Services "fallback", "checkout-api-v2" that do not exist in namespace shop; requests for them fail (typically 503).',
    );
    expect(findings[0].evidence[0]).toEqual(
      f('spec.defaultBackend.service.name', 'fallback'),
    );
  });
});
