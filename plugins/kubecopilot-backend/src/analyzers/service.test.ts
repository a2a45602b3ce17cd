import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { serviceAnalyzer } from './service';
import { f, loadContext } from './__fixtures__';

const diff =
  ' The closest pod, checkout-7d9f8b6c5d-x7k2p, differs on app.kubernetes.io/component (has "backend", selector wants "api").';

const cases: Array<[string, Finding[]]> = [
  // Includes an ExternalName Service and a selector-less one.
  ['healthy-all-kinds', []],
  // Applied 15 s ago: both pods pulling their image, none failed. A note
  // until they are ready or fail, not an outage.
  [
    'deployment-first-rollout',
    [
      {
        analyzer: 'service',
        code: 'ServiceNoEndpoints',
        severity: 'info',
        cluster: 'prod-eu',
        resource: { kind: 'Service', namespace: 'shop', name: 'orders' },
        message:
          'Service shop/orders has no ready endpoints yet: its 2 pod(s) are still starting and none has failed (orders-6f9c8d7b5d-7xk2p, orders-6f9c8d7b5d-q9w4t).',
        evidence: expect.arrayContaining([
          f('Endpoints/orders.subsets[*].notReadyAddresses', '2'),
        ]),
        proposedFix: {
          description:
            'Nothing to do yet: the Service routes traffic to the pods as soon as they are ready. If they do not become ready, their own findings say why.',
        },
      },
    ],
  ],
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

const NAMED = 'n-service-named-targetport';
const NUMERIC = 'n-service-numeric-targetport';

cases.push(
  // A container that declares no ports may serve any: no judgement.
  ['service-undeclared-port', []],
  [
    'service-named-targetport',
    [
      {
        analyzer: 'service',
        code: 'ServiceNoEndpoints',
        severity: 'error',
        cluster: 'prod-eu',
        resource: { kind: 'Service', namespace: NAMED, name: 'orders' },
        message: `Service ${NAMED}/orders has no endpoints: its pods do not serve targetPort "http". 2 matching pod(s) are ready, but port "http" (80) targets "http", a name no container port of its pods has (they declare web=8080/TCP).`,
        evidence: [
          f('spec.selector', 'app=orders'),
          f('Endpoints/orders.subsets[*].addresses', '0'),
          f('Endpoints/orders.subsets[*].notReadyAddresses', '0'),
          f(
            'pods matching spec.selector',
            'orders-6d8f9c7b5d-c5589, orders-6d8f9c7b5d-bwvtl',
          ),
          f('spec.ports[0].targetPort', 'http'),
          f("ports of the selected pods' containers", 'web=8080/TCP'),
        ],
        proposedFix: {
          description: `In Service ${NAMED}/orders, set spec.ports[0].targetPort to "web" (or 8080) — or declare the port in the pod template if the container does serve it. Editing a Service is not a plan KubeCopilot offers: apply the change through the Service's manifest (a restart of the pods will not help).`,
        },
      },
    ],
  ],
  [
    'service-numeric-targetport',
    [
      {
        analyzer: 'service',
        code: 'ServicePortMismatch',
        severity: 'warning',
        cluster: 'prod-eu',
        resource: { kind: 'Service', namespace: NUMERIC, name: 'inventory' },
        message: `Service ${NUMERIC}/inventory sends traffic to targetPort 80/TCP, which its pods do not serve. Port 80 targets 80/TCP, which no container of its pods declares or probes (they declare http=8080/TCP); connections to it are likely refused.`,
        evidence: [
          f('spec.ports[0].targetPort', '80'),
          f("ports of the selected pods' containers", 'http=8080/TCP'),
        ],
        proposedFix: {
          description: `In Service ${NUMERIC}/inventory, set spec.ports[0].targetPort to "http" (or 8080) — or declare the port in the pod template if the container does serve it. Editing a Service is not a plan KubeCopilot offers: apply the change through the Service's manifest (a restart of the pods will not help).`,
        },
      },
    ],
  ],
);

describe('serviceAnalyzer', () => {
  it.each(cases)('%s', (fixture, expected) => {
    expect(serviceAnalyzer.analyze(loadContext(fixture))).toEqual(expected);
  });

  it('does not guess when neither Endpoints nor EndpointSlices were gathered', () => {
    const ctx = loadContext('service-selector-mismatch');
    ctx.endpoints = [];
    expect(serviceAnalyzer.analyze(ctx)).toEqual([]);
  });

  it('reports a named port of a multi-port Service that no pod has, beside endpoints for the others', () => {
    const ctx = loadContext('service-named-targetport');
    const svc = ctx.services[0];
    svc.spec!.ports = [
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' as any },
      {
        name: 'admin',
        port: 9000,
        protocol: 'TCP',
        targetPort: 'admin' as any,
      },
    ];
    ctx.endpoints[0].subsets = [
      {
        addresses: ctx.pods.map(p => ({ ip: p.status!.podIP! })),
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ];
    const findings = serviceAnalyzer.analyze(ctx);
    expect(findings.map(x => [x.code, x.severity])).toEqual([
      ['ServicePortMismatch', 'error'],
    ]);
    expect(findings[0].message).toContain(
      'sends traffic to targetPort "admin", which its pods do not serve. Port "admin" (9000) targets "admin", a name no container port of its pods has',
    );
  });

  it('reports a selector-less Service with neither Endpoints nor EndpointSlices, and only when both were read', () => {
    const ctx = loadContext('service-selectorless-no-endpoints');
    const NS = 'n-service-selectorless-no-endpoints';
    expect(serviceAnalyzer.analyze(ctx)).toEqual([
      {
        analyzer: 'service',
        code: 'ServiceNoEndpoints',
        severity: 'error',
        cluster: 'prod-eu',
        resource: { kind: 'Service', namespace: NS, name: 'payments-db' },
        message: `Service ${NS}/payments-db has no selector and no endpoints: nothing backs it. Neither Endpoints nor EndpointSlices exist for it, so connections to it fail.`,
        evidence: [
          f('spec.selector', '(none)'),
          f('Endpoints/payments-db', 'not found'),
          f('EndpointSlices of Service payments-db', 'none'),
        ],
        proposedFix: {
          description: `A Service without a selector sends traffic only to the Endpoints or EndpointSlices someone writes: create them for the backend Service ${NS}/payments-db should reach, give it a selector for its pods, or make it an ExternalName Service for a DNS name. No plan can do this, and restarting pods will not help.`,
        },
      },
    ]);
    // Slices unknown (not served, or denied): no judgement.
    delete ctx.missingEndpoints;
    expect(serviceAnalyzer.analyze(ctx)).toEqual([]);
  });

  it('leaves a selector-less Service alone when a controller-written EndpointSlice backs it', () => {
    const ctx = loadContext('service-selectorless-no-endpoints');
    ctx.missingEndpoints = [];
    ctx.endpointslices = [
      {
        metadata: {
          name: 'payments-db-k2x9q',
          namespace: 'n-service-selectorless-no-endpoints',
          labels: {
            'kubernetes.io/service-name': 'payments-db',
            'endpointslice.kubernetes.io/managed-by':
              'db-proxy-operator.acme.io',
          },
        },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['10.20.0.15'], conditions: { ready: true } }],
        ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }],
      },
    ];
    expect(serviceAnalyzer.analyze(ctx)).toEqual([]);
  });

  it('trusts a numeric targetPort when a container declares no ports, as an app beside a mesh sidecar does', () => {
    const ctx = loadContext('service-numeric-targetport');
    for (const p of ctx.pods) {
      p.spec!.containers[0].ports = undefined;
      p.spec!.containers.push({
        name: 'istio-proxy',
        image: 'docker.io/istio/proxyv2:1.24.2',
        ports: [
          { containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' },
        ],
      });
    }
    expect(serviceAnalyzer.analyze(ctx)).toEqual([]);
  });

  it('trusts a numeric targetPort that a probe uses although no port declares it', () => {
    const ctx = loadContext('service-numeric-targetport');
    for (const p of ctx.pods) {
      p.spec!.containers[0].readinessProbe!.httpGet!.port = 80;
    }
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
