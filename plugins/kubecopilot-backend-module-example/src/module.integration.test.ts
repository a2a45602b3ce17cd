/**
 * The example module installed in a backend with KubeCopilot and the real
 * Kubernetes backend, against the demo cluster: its finding shows in a
 * diagnosis, its rule in a plan's risk; a module cannot lower a built-in
 * level, and a module analyzer that throws leaves the diagnosis intact.
 */
import { resolve } from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { DemoCluster } from '@kubecopilot/demo-cluster';
import {
  kubecopilotAnalyzersExtensionPoint,
  kubecopilotRiskRulesExtensionPoint,
} from '@kubecopilot/backstage-plugin-kubecopilot-backend';
import request from 'supertest';
import exampleModule from './index';

jest.setTimeout(120_000);

const SCENARIOS = resolve(__dirname, '../../../examples/scenarios');
const CHECKOUT = 'component:default/checkout';
const alice = mockCredentials.user.header('user:default/alice');
const DAY_MS = 24 * 60 * 60 * 1000;

/** Renders cert-check-controller's Go time format. */
const goTime = (date: Date) =>
  `${date.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;

/** checkout's TLS: an Ingress serving it, and its Secret as cert-manager and cert-check-controller annotate it. */
const tlsObjects = (notAfter: Date) => [
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'checkout',
      namespace: 'shop',
      uid: '5d0f4b0e-6f39-4a57-9b0e-0c1c0b7f3a21',
      creationTimestamp: '2026-01-12T12:00:00Z',
      labels: { app: 'checkout', 'backstage.io/kubernetes-id': 'checkout' },
      annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
    },
    spec: {
      ingressClassName: 'nginx',
      tls: [
        { hosts: ['checkout.shop.example.com'], secretName: 'checkout-tls' },
      ],
      rules: [
        {
          host: 'checkout.shop.example.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: {
                  service: { name: 'checkout', port: { number: 80 } },
                },
              },
            ],
          },
        },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: {
      name: 'checkout-tls',
      namespace: 'shop',
      uid: '0b8f2a55-4f2c-4c3e-8f43-3c1b5f0a9d10',
      creationTimestamp: '2026-09-08T10:00:00Z',
      labels: { 'controller.cert-manager.io/fao': 'true' },
      annotations: {
        'cert-manager.io/alt-names': 'checkout.shop.example.com',
        'cert-manager.io/certificate-name': 'checkout-tls',
        'cert-manager.io/common-name': 'checkout.shop.example.com',
        'cert-manager.io/issuer-kind': 'ClusterIssuer',
        'cert-manager.io/issuer-name': 'letsencrypt',
        'certcheck.amsy.dev/notAfter': goTime(notAfter),
      },
    },
    data: {
      // Never read: the module sees metadata only.
      'tls.crt': Buffer.from(
        '-----BEGIN CERTIFICATE-----SENTINEL-CRT',
      ).toString('base64'),
      'tls.key': Buffer.from(
        '-----BEGIN PRIVATE KEY-----SENTINEL-KEY',
      ).toString('base64'),
    },
  },
];

/** A second module: an analyzer that throws and a rule that tries to lower a level. */
const unrulyModule = createBackendModule({
  pluginId: 'kubecopilot',
  moduleId: 'unruly',
  register(reg) {
    reg.registerInit({
      deps: {
        analyzers: kubecopilotAnalyzersExtensionPoint,
        riskRules: kubecopilotRiskRulesExtensionPoint,
      },
      async init({ analyzers, riskRules }) {
        analyzers.addAnalyzer({
          name: 'unruly/broken',
          kinds: ['Pod'],
          analyze: () => {
            throw new Error('cannot read property of undefined');
          },
        });
        riskRules.addRiskRule({
          name: 'unruly/everything-is-fine',
          description: 'Claims every change is low risk.',
          evaluate: () => ({ level: 'low', message: 'everything is fine' }),
        });
      },
    });
  },
});

describe('the example module in a backend', () => {
  let cluster: DemoCluster;
  let server: any;
  const requests: string[] = [];

  beforeAll(async () => {
    const { startDemoCluster } = await import('@kubecopilot/demo-cluster');
    await import('@kubernetes/client-node');
    cluster = await startDemoCluster({
      port: 0,
      podStartupMs: 50,
      scenarios: [`${SCENARIOS}/cluster.yaml`, `${SCENARIOS}/checkout.yaml`],
      objects: tlsObjects(new Date(Date.now() + 3 * DAY_MS + 60_000)),
      onRequest: entry => requests.push(`${entry.method} ${entry.path}`),
    });
    const kubernetes = await import('@backstage/plugin-kubernetes-backend');
    const { default: kubecopilot } = await import(
      '@kubecopilot/backstage-plugin-kubecopilot-backend'
    );
    const backend = await startTestBackend({
      features: [
        kubecopilot,
        exampleModule,
        unrulyModule,
        kubernetes.default,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'checkout',
                namespace: 'default',
                annotations: {
                  'backstage.io/kubernetes-id': 'checkout',
                  'backstage.io/kubernetes-namespace': 'shop',
                },
              },
              spec: {
                type: 'service',
                owner: 'group:default/team-shop',
                lifecycle: 'production',
              },
              relations: [
                { type: 'ownedBy', targetRef: 'group:default/team-shop' },
              ],
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'demo',
                      url: cluster.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: cluster.token,
                      caData: cluster.caData,
                      skipMetricsLookup: true,
                    },
                  ],
                },
              ],
            },
            kubecopilot: { risk: { productionNamespaces: [] } },
            kubecopilotExample: {
              changeFreezes: [
                {
                  name: 'Release weekend',
                  start: new Date(Date.now() - DAY_MS).toISOString(),
                  end: new Date(Date.now() + DAY_MS).toISOString(),
                },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it("shows the module's finding in a diagnosis, notes the throwing analyzer and keeps the built-in findings", async () => {
    requests.length = 0;
    const res = await request(server)
      .post('/api/kubecopilot/diagnoses')
      .set('authorization', alice)
      .send({ entityRef: CHECKOUT });
    expect(res.status).toBe(200);
    const codes = res.body.findings.map((f: any) => f.code);
    expect(codes).toContain('CrashLoopBackOff');
    const certificate = res.body.findings.find(
      (f: any) => f.code === 'example/CertificateExpiring',
    );
    expect(certificate).toMatchObject({
      analyzer: 'example/certificates',
      severity: 'warning',
      cluster: 'demo',
      resource: { kind: 'Secret', namespace: 'shop', name: 'checkout-tls' },
      message:
        'The TLS certificate in Secret checkout-tls (checkout.shop.example.com) expires on ' +
        `${new Date(Date.now() + 3 * DAY_MS + 60_000)
          .toISOString()
          .slice(0, 10)}, in 3 days`,
    });
    expect(res.body.errors).toContain(
      "cluster 'demo': module analyzer unruly/broken failed (cannot read property of undefined); its findings are missing, the rest of the diagnosis is complete",
    );
    expect(JSON.stringify(res.body)).not.toContain('SENTINEL');
    // The Secret was read as metadata, by name; never listed, never its data.
    const secretReads = requests.filter(r => r.includes('/secrets'));
    expect(
      secretReads.some(r =>
        r.includes('/api/v1/namespaces/shop/secrets/checkout-tls'),
      ),
    ).toBe(true);
    expect(secretReads.every(r => r.startsWith('GET '))).toBe(true);
  });

  it("puts the module's rule in a plan's risk, and a module cannot lower a built-in level", async () => {
    const scaleUp = await request(server)
      .post('/api/kubecopilot/plans')
      .set('authorization', alice)
      .send({
        entityRef: CHECKOUT,
        action: 'scale',
        resource: { kind: 'Deployment', name: 'checkout' },
        params: { replicas: 2 },
      });
    expect(scaleUp.status).toBe(201);
    expect(scaleUp.body.risk.level).toBe('high');
    expect(scaleUp.body.risk.reasons).toContainEqual({
      rule: 'example/change-freeze',
      level: 'high',
      message: expect.stringMatching(/^change freeze 'Release weekend' until /),
    });
    expect(scaleUp.body.risk.reasons).toContainEqual({
      rule: 'unruly/everything-is-fine',
      level: 'low',
      message: 'everything is fine',
    });
    expect(scaleUp.body.risk.rationale).toContain('[example/change-freeze]');

    // Built-in high (scale to zero); the module's 'low' does not lower it.
    const stop = await request(server)
      .post('/api/kubecopilot/plans')
      .set('authorization', alice)
      .send({
        entityRef: CHECKOUT,
        action: 'scale',
        resource: { kind: 'Deployment', name: 'checkout' },
        params: { replicas: 0 },
      });
    expect(stop.status).toBe(201);
    expect(stop.body.risk.level).toBe('high');
    expect(stop.body.risk.reasons.map((r: any) => r.rule)).toEqual(
      expect.arrayContaining(['scale-to-zero', 'unruly/everything-is-fine']),
    );
  });
});
