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

const PORT_NS = 'n-ingress-backend-port';

cases.push([
  'ingress-service-port',
  [
    {
      analyzer: 'ingress',
      code: 'IngressServicePortMismatch',
      severity: 'error',
      cluster: 'prod-eu',
      resource: { kind: 'Ingress', namespace: PORT_NS, name: 'storefront' },
      message: `Ingress ${PORT_NS}/storefront routes to a Service port that does not exist: port 8080 of Service "storefront", which has ports http=80. The controller has no upstream for that path, so requests fail (typically 503).`,
      evidence: [
        f('spec.rules[0].http.paths[0].backend.service.port.number', '8080'),
        f('Service/storefront.spec.ports', 'http=80'),
      ],
      proposedFix: {
        description: `Point each backend of Ingress ${PORT_NS}/storefront at a port the Service exposes (its spec.ports[].port or name, not the container's targetPort), or add that port to the Service. Editing an Ingress is not a plan KubeCopilot offers: apply the change through its manifest.`,
      },
    },
  ],
]);

describe('ingressAnalyzer', () => {
  it.each(cases)('%s', (fixture, expected) => {
    expect(ingressAnalyzer.analyze(loadContext(fixture))).toEqual(expected);
  });

  it('accepts a backend port named like a port of the Service, and refuses an unknown name', () => {
    const ctx = loadContext('ingress-service-port');
    const backend =
      ctx.ingresses[0].spec!.rules![0].http!.paths[0].backend.service!;
    backend.port = { name: 'http' };
    expect(ingressAnalyzer.analyze(ctx)).toEqual([]);
    backend.port = { name: 'web' };
    expect(ingressAnalyzer.analyze(ctx).map(x => x.message)).toEqual([
      `Ingress ${PORT_NS}/storefront routes to a Service port that does not exist: port "web" of Service "storefront", which has ports http=80. The controller has no upstream for that path, so requests fail (typically 503).`,
    ]);
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
