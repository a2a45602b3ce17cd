/**
 * The whole read path for real: this plugin and the real
 * @backstage/plugin-kubernetes-backend in one test backend, against two
 * simulated clusters over HTTPS.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { DemoCluster, startDemoCluster } from '@kubecopilot/demo-cluster';
import { Server } from 'node:http';
import request from 'supertest';
import { HttpKubernetesBackendClient } from './kubernetes/HttpKubernetesBackendClient';
import { kubecopilotPlugin } from './plugin';

jest.setTimeout(60_000);

const ENTITY_REF = 'component:default/checkout';
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

/** A running Deployment → ReplicaSet → Pods of `checkout` in namespace shop. */
function checkoutObjects(options: {
  image: string;
  replicas: number;
}): object[] {
  const hash = '5d9f7c8b6';
  const labels = { app: 'checkout', 'backstage.io/kubernetes-id': 'checkout' };
  const podLabels = { ...labels, 'pod-template-hash': hash };
  const spec = { containers: [{ name: 'app', image: options.image }] };
  const ready = options.replicas;
  const pods = Array.from({ length: options.replicas }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `checkout-${hash}-p${i}`,
      namespace: 'shop',
      labels: podLabels,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `checkout-${hash}`,
          controller: true,
        },
      ],
    },
    spec,
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'app',
          image: options.image,
          imageID: '',
          ready: true,
          restartCount: i,
          started: true,
          state: { running: { startedAt: '2026-11-26T00:00:00Z' } },
        },
      ],
    },
  }));
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'checkout', namespace: 'shop', labels },
      spec: {
        replicas: options.replicas,
        selector: { matchLabels: { app: 'checkout' } },
        template: { metadata: { labels }, spec },
      },
      status: {
        replicas: options.replicas,
        readyReplicas: ready,
        availableReplicas: ready,
        updatedReplicas: options.replicas,
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `checkout-${hash}`,
        namespace: 'shop',
        labels: podLabels,
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'checkout',
            controller: true,
          },
        ],
      },
      spec: {
        replicas: options.replicas,
        selector: {
          matchLabels: { app: 'checkout', 'pod-template-hash': hash },
        },
        template: { metadata: { labels: podLabels }, spec },
      },
      status: {
        replicas: options.replicas,
        readyReplicas: ready,
        availableReplicas: ready,
      },
    },
    ...pods,
  ];
}

describe('KubeCopilot with the Kubernetes backend and two clusters', () => {
  let east: DemoCluster;
  let west: DemoCluster;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    // The Kubernetes backend imports @kubernetes/client-node lazily; on a cold
    // jest cache transforming it takes seconds, which belongs here and not in
    // the first request's deadline.
    await import('@kubernetes/client-node');
    east = await startDemoCluster({
      port: 0,
      objects: checkoutObjects({
        image: 'ghcr.io/acme/checkout:1.4.2',
        replicas: 2,
      }),
    });
    west = await startDemoCluster({
      port: 0,
      token: 'west-token',
      objects: checkoutObjects({
        image: 'ghcr.io/acme/checkout:1.5.0',
        replicas: 3,
      }),
    });
    const cluster = (name: string, demo: DemoCluster) => ({
      name,
      url: demo.url,
      authProvider: 'serviceAccount',
      serviceAccountToken: demo.token,
      caData: demo.caData,
      skipMetricsLookup: true,
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
                  clusters: [cluster('east', east), cluster('west', west)],
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
    await Promise.all([east?.stop(), west?.stop()]);
  });

  function client() {
    return new HttpKubernetesBackendClient({
      discovery: {
        getBaseUrl: async id => `http://localhost:${port}/api/${id}`,
        getExternalBaseUrl: async id => `http://localhost:${port}/api/${id}`,
      },
      auth: mockServices.auth({ pluginId: 'kubecopilot' }),
      timeoutMs: 10_000,
    });
  }

  const user = mockCredentials.user('user:default/alice');
  const DEPLOYMENT = '/apis/apps/v1/namespaces/shop/deployments/checkout';

  it('lists the workloads of both clusters, each labelled with its cluster', async () => {
    const res = await request(server).get(
      `/api/kubecopilot/workloads?entityRef=${ENTITY_REF}`,
    );
    expect(res.body.error).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe(ENTITY_REF);
    expect(res.body.clusters).toEqual(['east', 'west']);
    expect(res.body.errors).toEqual([]);
    expect(res.body.workloads).toEqual([
      {
        cluster: 'east',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'checkout',
        ready: 2,
        desired: 2,
        podPhases: { Running: 2 },
        restarts: 1,
        reasons: [],
        images: ['ghcr.io/acme/checkout:1.4.2'],
      },
      {
        cluster: 'west',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'checkout',
        ready: 3,
        desired: 3,
        podPhases: { Running: 3 },
        restarts: 3,
        reasons: [],
        images: ['ghcr.io/acme/checkout:1.5.0'],
      },
    ]);
  });

  it('reads through the proxy as the user, metadata only on request', async () => {
    const deployment = await client().read<any>({
      cluster: 'west',
      path: DEPLOYMENT,
      credentials: user,
    });
    expect(deployment.spec.replicas).toBe(3);

    const metadata = await client().readMetadata<any>({
      cluster: 'east',
      path: DEPLOYMENT,
      credentials: user,
    });
    expect(metadata.metadata.name).toBe('checkout');

    await expect(
      client().read({
        cluster: 'east',
        path: '/apis/apps/v1/namespaces/shop/deployments/nope',
        credentials: user,
      }),
    ).rejects.toThrow(NotFoundError);
    await expect(client().listClusters({ credentials: user })).resolves.toEqual(
      [
        expect.objectContaining({ name: 'east' }),
        expect.objectContaining({ name: 'west' }),
      ],
    );
  });

  it('writes with its own credentials: dry run, then a stale precondition is a conflict', async () => {
    const live = await client().read<any>({
      cluster: 'east',
      path: DEPLOYMENT,
      credentials: user,
    });
    const dryRun = await client().write<any>({
      cluster: 'east',
      path: DEPLOYMENT,
      method: 'PATCH',
      patchType: 'merge',
      body: { spec: { replicas: 4 } },
      dryRun: true,
      resourceVersion: live.metadata.resourceVersion,
    });
    expect(dryRun.spec.replicas).toBe(4);
    expect(
      east.getObject('apps/v1', 'Deployment', 'shop', 'checkout')?.spec
        .replicas,
    ).toBe(2);

    await expect(
      client().write({
        cluster: 'east',
        path: DEPLOYMENT,
        method: 'PATCH',
        patchType: 'merge',
        body: { spec: { replicas: 4 } },
        resourceVersion: '1',
      }),
    ).rejects.toThrow(ConflictError);
    expect(
      east.getObject('apps/v1', 'Deployment', 'shop', 'checkout')?.spec
        .replicas,
    ).toBe(2);
  });

  it('still lists the other cluster when one is down, naming the one that is', async () => {
    await west.stop();

    const res = await request(server).get(
      `/api/kubecopilot/workloads?entityRef=${ENTITY_REF}`,
    );
    expect(res.status).toBe(200);
    expect(
      res.body.workloads.map(
        (w: { cluster: string; name: string }) => `${w.cluster}/${w.name}`,
      ),
    ).toEqual(['east/checkout']);
    expect(res.body.errors).toEqual([
      {
        cluster: 'west',
        message: expect.stringMatching(/^Cluster unreachable: .*ECONNREFUSED/),
      },
    ]);

    const error = await client()
      .read({ cluster: 'west', path: DEPLOYMENT, credentials: user })
      .then(
        () => undefined,
        e => e,
      );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toMatch(
      /^Kubernetes cluster 'west' failed GET .*ECONNREFUSED/,
    );
  });
});
