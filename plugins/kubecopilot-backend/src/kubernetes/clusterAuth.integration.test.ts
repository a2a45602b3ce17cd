/**
 * A cluster whose Kubernetes plugin auth is client-side (`authProvider:
 * oidc`), for real: this plugin and the real @backstage/plugin-kubernetes-backend
 * in one test backend, against a demo cluster that accepts the service token
 * for anything and the user's token (standing for their OIDC ID token) for
 * reads only. The same API server is configured twice: `oidc-demo`, which only
 * the user's token can read, and `sa-demo`, which has the service token.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import {
  DemoCluster,
  RequestLogEntry,
  startDemoCluster,
} from '@kubecopilot/demo-cluster';
import { Server } from 'node:http';
import request from 'supertest';
import { kubecopilotPlugin } from '../plugin';
import { withClusterAuth } from './clusterAuth';
import { HttpKubernetesBackendClient } from './HttpKubernetesBackendClient';

jest.setTimeout(60_000);

const SERVICE_TOKEN = 'service-account-token';
const USER_TOKEN = 'alice-oidc-id-token';
const ENTITY_REF = 'component:default/checkout';
const DEPLOYMENT = '/apis/apps/v1/namespaces/shop/deployments/checkout';
const labels = { app: 'checkout', 'backstage.io/kubernetes-id': 'checkout' };

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'checkout' },
  },
  spec: {
    type: 'service',
    owner: 'group:default/shop',
    lifecycle: 'production',
  },
};

describe("a cluster read with the user's own OIDC token", () => {
  let demo: DemoCluster;
  let server: Server;
  let port: number;
  const log: RequestLogEntry[] = [];

  beforeAll(async () => {
    // The Kubernetes backend imports @kubernetes/client-node lazily.
    await import('@kubernetes/client-node');
    demo = await startDemoCluster({
      port: 0,
      token: SERVICE_TOKEN,
      userToken: USER_TOKEN,
      onRequest: entry => log.push(entry),
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'checkout', namespace: 'shop', labels },
          spec: {
            replicas: 0,
            selector: { matchLabels: { app: 'checkout' } },
            template: {
              metadata: { labels },
              spec: { containers: [{ name: 'app', image: 'checkout:1' }] },
            },
          },
        },
      ],
    });
    const backend = await startTestBackend({
      features: [
        kubecopilotPlugin,
        kubernetesPlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'oidc-demo',
                      url: demo.url,
                      authProvider: 'oidc',
                      oidcTokenProvider: 'okta',
                      caData: demo.caData,
                      skipMetricsLookup: true,
                    },
                    {
                      name: 'sa-demo',
                      url: demo.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: SERVICE_TOKEN,
                      caData: demo.caData,
                      skipMetricsLookup: true,
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await demo?.stop();
  });

  beforeEach(() => {
    log.length = 0;
  });

  const client = () =>
    new HttpKubernetesBackendClient({
      discovery: {
        getBaseUrl: async id => `http://localhost:${port}/api/${id}`,
        getExternalBaseUrl: async id => `http://localhost:${port}/api/${id}`,
      },
      auth: mockServices.auth({ pluginId: 'kubecopilot' }),
      timeoutMs: 10_000,
    });
  const user = mockCredentials.user('user:default/alice');
  const header = JSON.stringify({ oidc: { okta: USER_TOKEN } });
  const clustersOf = (body: { workloads: Array<{ cluster: string }> }) =>
    body.workloads.map(w => w.cluster).sort();

  it('lists the oidc cluster only when the request forwards the user token', async () => {
    const without = await request(server).get(
      `/api/kubecopilot/workloads?entityRef=${ENTITY_REF}`,
    );
    // What happened before: the Kubernetes backend fails the whole query
    // when a cluster's client-side token is missing.
    expect(without.status).toBe(503);
    expect(without.body.error.message).toMatch(
      /Auth token not found under oidc\.okta/,
    );
    expect(log.some(entry => entry.identity === 'user')).toBe(false);

    log.length = 0;
    const withToken = await request(server)
      .get(`/api/kubecopilot/workloads?entityRef=${ENTITY_REF}`)
      .set('X-Kubecopilot-Cluster-Auth', header);
    expect(withToken.status).toBe(200);
    expect(withToken.body.errors).toEqual([]);
    expect(clustersOf(withToken.body)).toEqual(['oidc-demo', 'sa-demo']);
    // sa-demo still used its service account; oidc-demo the user's token.
    expect(new Set(log.map(entry => entry.identity))).toEqual(
      new Set(['service', 'user']),
    );
    expect(log.every(entry => entry.method === 'GET')).toBe(true);
  });

  it('reads through the proxy with the user token, within that request only', async () => {
    const within = withClusterAuth({ oidc: { okta: USER_TOKEN } }, () =>
      client().read<any>({
        cluster: 'oidc-demo',
        path: DEPLOYMENT,
        credentials: user,
      }),
    );
    await expect(within.result).resolves.toMatchObject({
      metadata: { name: 'checkout' },
    });
    within.end();
    expect(log).toEqual([
      expect.objectContaining({ method: 'GET', identity: 'user', status: 200 }),
    ]);

    await expect(
      client().read({
        cluster: 'oidc-demo',
        path: DEPLOYMENT,
        credentials: user,
      }),
    ).rejects.toThrow();
    expect(log).toHaveLength(1);
  });

  it('writes with the service credentials even while the request carries the user token', async () => {
    const patch = {
      path: DEPLOYMENT,
      method: 'PATCH' as const,
      patchType: 'merge' as const,
      body: { spec: { replicas: 1 } },
    };
    const { result, end } = withClusterAuth(
      { oidc: { okta: USER_TOKEN } },
      async () => {
        // The service-account cluster: written, as the service account.
        const written = await client().write<any>({
          ...patch,
          cluster: 'sa-demo',
        });
        // The oidc cluster has no credentials of its own for the Kubernetes
        // backend, and the user's token is not lent to a write: refused.
        const refused = await client()
          .write({ ...patch, cluster: 'oidc-demo' })
          .then(
            () => undefined,
            e => e,
          );
        return { written, refused };
      },
    );
    const { written, refused } = await result;
    end();

    expect(written.spec.replicas).toBe(1);
    expect(refused).toBeInstanceOf(Error);
    expect(
      demo.getObject('apps/v1', 'Deployment', 'shop', 'checkout')?.spec
        .replicas,
    ).toBe(1);
    // One write reached the cluster, with the service token; none with the user's.
    expect(log.filter(entry => entry.method !== 'GET')).toEqual([
      expect.objectContaining({
        method: 'PATCH',
        identity: 'service',
        status: 200,
      }),
    ]);
  });
});
