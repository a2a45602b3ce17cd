/**
 * GET /workloads with ConfigMaps, Secrets and Ingresses, through this plugin
 * and the real Kubernetes backend against the demo cluster.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { workloadsResponseSchema } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { DemoCluster } from '@kubecopilot/demo-cluster';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import request from 'supertest';
import {
  backendConfig,
  component,
  SCENARIOS,
} from '../__testUtils__/demoBackend';

const FIXTURE = resolve(__dirname, '__fixtures__/config-relations.yaml');
const SECRET_VALUES = ['s3cr3t-value-1234', 'shop-admin'];

describe('GET /workloads: ConfigMaps, Secrets and Ingresses', () => {
  let cluster: DemoCluster;
  let server: Server;
  const reads: string[] = [];

  beforeAll(async () => {
    const { startDemoCluster } = await import('@kubecopilot/demo-cluster');
    await import('@kubernetes/client-node');
    cluster = await startDemoCluster({
      port: 0,
      scenarios: [`${SCENARIOS}/cluster.yaml`, FIXTURE],
      onRequest: e => reads.push(`${e.method} ${e.path.split('?')[0]}`),
    });
    const [{ kubecopilotPlugin }, kubernetes] = await Promise.all([
      import('../plugin'),
      import('@backstage/plugin-kubernetes-backend'),
    ]);
    const entity = component('storefront');
    entity.metadata.annotations!['backstage.io/kubernetes-namespace'] =
      'relations';
    const backend = await startTestBackend({
      features: [
        kubecopilotPlugin,
        kubernetes.default,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({ data: backendConfig(cluster) }),
      ],
    });
    server = backend.server;
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('lists what each workload uses, what exists, and where the Ingresses route', async () => {
    const res = await request(server)
      .get('/api/kubecopilot/workloads')
      .query({ entityRef: 'component:default/storefront', relations: 'true' });
    expect(res.status).toBe(200);
    const body = workloadsResponseSchema.parse(res.body);
    const deployment = body.workloads.find(w => w.kind === 'Deployment')!;
    const byName = Object.fromEntries(
      deployment.config!.map(r => [`${r.kind}/${r.name}`, r]),
    );
    expect(byName['Secret/shop-db']).toEqual({
      kind: 'Secret',
      name: 'shop-db',
      via: ['env', 'volume', 'projected'],
      containers: ['storefront'],
      optional: false,
      exists: true,
      keys: [
        { name: 'username', exists: true },
        { name: 'passwd', exists: false },
      ],
      objectKeys: ['password', 'username'],
    });
    expect(byName['ConfigMap/shop-config']).toMatchObject({
      exists: true,
      via: ['env', 'projected'],
      keys: [
        { name: 'LOG_LEVEL', exists: true },
        { name: 'banner.txt', exists: true },
      ],
    });
    expect(byName['ConfigMap/shop-flags']).toMatchObject({
      exists: false,
      optional: false,
      via: ['envFrom'],
    });
    expect(byName['Secret/shop-optional']).toMatchObject({
      exists: false,
      optional: true,
    });
    // The CA bundle every pod gets is not listed.
    expect(byName['ConfigMap/kube-root-ca.crt']).toBeUndefined();

    expect(body.ingresses).toEqual([
      {
        cluster: 'demo',
        namespace: 'relations',
        name: 'storefront',
        className: 'nginx',
        classExists: true,
        routes: [
          {
            host: 'shop.example.com',
            path: '/',
            service: 'storefront',
            port: '80',
            serviceExists: true,
            portExists: true,
          },
          {
            host: 'shop.example.com',
            path: '/api',
            service: 'storefront-api',
            port: '8080',
            serviceExists: false,
            portExists: false,
          },
          {
            host: 'shop.example.com',
            path: '/admin',
            service: 'storefront',
            port: 'admin',
            serviceExists: true,
            portExists: false,
          },
        ],
        tls: [
          {
            secretName: 'storefront-tls',
            hosts: ['shop.example.com'],
            exists: false,
          },
        ],
      },
      {
        cluster: 'demo',
        namespace: 'relations',
        name: 'storefront-internal',
        className: 'traefik',
        classExists: false,
        routes: [
          {
            host: 'shop.internal',
            path: '/',
            service: 'storefront',
            port: 'http',
            serviceExists: true,
            portExists: true,
          },
        ],
        tls: [],
      },
    ]);
  });

  it("never sends a Secret's values, not even encoded", async () => {
    const res = await request(server)
      .get('/api/kubecopilot/workloads')
      .query({ entityRef: 'component:default/storefront', relations: 'true' });
    expect(res.status).toBe(200);
    const text = res.text;
    expect(text).toContain('shop-db');
    for (const value of SECRET_VALUES) {
      expect(text).not.toContain(value);
      expect(text).not.toContain(Buffer.from(value).toString('base64'));
    }
  });

  it('reads nothing more without relations=true (the home page and the metrics ask that way)', async () => {
    reads.length = 0;
    const res = await request(server)
      .get('/api/kubecopilot/workloads')
      .query({ entityRef: 'component:default/storefront' })
      .expect(200);
    expect(res.body.ingresses).toBeUndefined();
    expect(res.body.workloads[0].config).toBeUndefined();
    expect(reads.filter(r => /\/(secrets|ingressclasses)\//.test(r))).toEqual(
      [],
    );
  });

  it('reads each referenced object once per request, through the proxy', async () => {
    reads.length = 0;
    await request(server)
      .get('/api/kubecopilot/workloads')
      .query({ entityRef: 'component:default/storefront', relations: 'true' })
      .expect(200);
    const secretReads = reads.filter(r => r.includes('/secrets/'));
    expect(secretReads.sort()).toEqual([
      'GET /api/v1/namespaces/relations/secrets/shop-db',
      'GET /api/v1/namespaces/relations/secrets/shop-optional',
      'GET /api/v1/namespaces/relations/secrets/storefront-tls',
    ]);
  });
});
