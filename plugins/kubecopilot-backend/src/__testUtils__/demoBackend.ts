/**
 * The shared set-up of tests and benchmarks that run this plugin with the
 * real Kubernetes backend against the demo cluster: the scenario files, the
 * shop's catalog components and the backend config pointing at a cluster.
 */
import { Entity } from '@backstage/catalog-model';
import type { DemoCluster, PrometheusServer } from '@kubecopilot/demo-cluster';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import request from 'supertest';

export const SCENARIOS = resolve(__dirname, '../../../../examples/scenarios');
export const CHECKOUT = 'component:default/checkout';

/** The demo cluster's files for the shop's checkout and storefront. */
export const shopScenarios = () => [
  `${SCENARIOS}/cluster.yaml`,
  `${SCENARIOS}/checkout.yaml`,
  `${SCENARIOS}/storefront.yaml`,
];

/**
 * A Component of the shop as the catalog serves it once processed: its
 * `spec.owner` also as the `ownedBy` relation, which ownership rules read.
 */
export const component = (
  name: string,
  owner = 'group:default/team-shop',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': name,
      'backstage.io/kubernetes-namespace': 'shop',
    },
  },
  spec: {
    type: 'service',
    owner,
    lifecycle: 'production',
  },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

export type ClusterAccess = Pick<DemoCluster, 'url' | 'token' | 'caData'>;

export function backendConfig(
  cluster: ClusterAccess,
  config: Record<string, any> = {},
): Record<string, any> {
  const { kubecopilot, ...rest } = config;
  return {
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
    ...rest,
    kubecopilot: {
      risk: { productionNamespaces: [] },
      ...kubecopilot,
    },
  };
}

/**
 * Polls `check` until it holds (the demo cluster's controllers catching up),
 * failing after `timeoutMs` with what was awaited.
 */
export async function until(
  what: string,
  check: () => boolean,
  { timeoutMs = 30_000, everyMs = 50 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`);
    }
    await new Promise(r => setTimeout(r, everyMs));
  }
}

/** The images of the Ready, not terminating pods labelled `app=<app>` in namespace shop. */
export function readyPodImages(cluster: DemoCluster, app: string): string[] {
  return cluster
    .listObjects('v1', 'Pod', 'shop')
    .filter(
      (p: any) =>
        p.metadata.labels?.app === app &&
        !p.metadata.deletionTimestamp &&
        p.status?.conditions?.some(
          (c: any) => c.type === 'Ready' && c.status === 'True',
        ),
    )
    .map((p: any) => p.spec?.containers?.[0]?.image);
}

/**
 * The demo cluster seeded with the shop's scenarios (or `scenarios`), as the
 * integration tests use it; `writes` collects every write it receives (dry runs aside)
 * as `METHOD path`.
 */
export async function startShopCluster(
  writes?: string[],
  scenarios: string[] = shopScenarios(),
) {
  const { startDemoCluster } = await import('@kubecopilot/demo-cluster');
  // client-node loads lazily; load it before the first request's deadline.
  await import('@kubernetes/client-node');
  return startDemoCluster({
    port: 0,
    podStartupMs: 50,
    scenarios,
    onRequest: entry => {
      if (
        writes &&
        entry.method !== 'GET' &&
        !entry.path.includes('dryRun=All')
      ) {
        writes.push(`${entry.method} ${entry.path.split('?')[0]}`);
      }
    },
  });
}

/**
 * This plugin and the real Kubernetes backend in one test backend, pointed
 * at `cluster`, with the shop's checkout and storefront (or `entities`) in
 * the catalog.
 */
export async function startShopBackend(
  cluster: ClusterAccess,
  config: Record<string, any> = {},
  entities: Entity[] = [component('checkout'), component('storefront')],
): Promise<Server> {
  const [
    { startTestBackend, mockServices },
    { catalogServiceMock },
    kubernetes,
    { kubecopilotPlugin },
  ] = await Promise.all([
    import('@backstage/backend-test-utils'),
    import('@backstage/plugin-catalog-node/testUtils'),
    import('@backstage/plugin-kubernetes-backend'),
    import('../plugin'),
  ]);
  const backend = await startTestBackend({
    features: [
      kubecopilotPlugin,
      kubernetes.default,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: backendConfig(cluster, config),
      }),
    ],
  });
  return backend.server;
}

/**
 * Registers, in the calling `describe`, the shop's demo cluster and this
 * plugin's backend (with `options.config` merged into its config) for its tests (writes recorded, reset before each test),
 * and returns what the plan tests call them through.
 */
export function shopStack(
  options: {
    /** More backend config, read when the stack starts (e.g. a fake LLM's URL). */
    config?: () => Record<string, any>;
  } = {},
) {
  const state: { cluster?: DemoCluster; server?: Server } = {};
  const writes: string[] = [];
  beforeAll(async () => {
    state.cluster = await startShopCluster(writes);
    state.server = await startShopBackend(state.cluster, options.config?.());
  });
  afterAll(async () => {
    await state.cluster?.stop();
  });
  beforeEach(() => {
    writes.length = 0;
  });
  const server = () => state.server!;
  return {
    writes,
    cluster: () => state.cluster!,
    server,
    deployment: (name = 'checkout') =>
      state.cluster!.getObject('apps/v1', 'Deployment', 'shop', name) as any,
    createPlan: (as: string, body: object) =>
      request(server())
        .post('/api/kubecopilot/plans')
        .set('authorization', as)
        .send(body),
    act: (as: string, id: string, what: string, body: object = {}) =>
      request(server())
        .post(`/api/kubecopilot/plans/${id}/${what}`)
        .set('authorization', as)
        .send(body),
  };
}

/**
 * Polls plan `id` (read as `as`) until its status is one of `statuses`,
 * failing after `timeoutMs` with the status and steps it had.
 */
export async function waitForPlan(
  server: Server,
  as: string,
  id: string,
  statuses: string[],
  timeoutMs: number,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await request(server)
      .get(`/api/kubecopilot/plans/${id}`)
      .set('authorization', as);
    if (statuses.includes(body.status)) return body;
    if (Date.now() > deadline) {
      throw new Error(
        `plan ${id} is ${body.status}, not ${statuses.join(
          '/',
        )}; steps: ${JSON.stringify(
          body.steps?.map((s: any) => `${s.id}=${s.status} ${s.result ?? ''}`),
        )}`,
      );
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

/** A write straight to the demo cluster, as someone outside KubeCopilot. */
export async function writeToCluster(
  cluster: Pick<DemoCluster, 'url' | 'token' | 'caPem'>,
  method: string,
  path: string,
  body: object,
  contentType = 'application/merge-patch+json',
): Promise<{ status: number }> {
  const https = await import('node:https');
  return new Promise((resolveRequest, reject) => {
    const req = https.request(
      `${cluster.url}${path}`,
      {
        method,
        ca: cluster.caPem,
        headers: {
          authorization: `Bearer ${cluster.token}`,
          'content-type': contentType,
        },
      },
      res => {
        res.resume();
        res.on('end', () => resolveRequest({ status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/**
 * Registers, in the calling `describe`, what the canary and blue-green tests
 * run against: the demo cluster with checkout only and its metrics exporter,
 * a real Prometheus (Debian's `prometheus`) scraping it every second, and
 * this plugin's backend reading that Prometheus, with a short canary
 * analysis so a gate takes seconds. `prepare` runs on the cluster before
 * Prometheus starts. Every write the cluster receives (dry runs aside) is
 * recorded as `METHOD path status`, reset before each test.
 */
export function rolloutStack(
  options: {
    prepare?: (cluster: DemoCluster) => Promise<void>;
    /** How long `waitFor` waits for a plan's status. */
    planTimeoutMs?: number;
  } = {},
) {
  const state: {
    cluster?: DemoCluster;
    prometheus?: PrometheusServer;
    server?: Server;
  } = {};
  const writes: string[] = [];
  beforeAll(async () => {
    const { startDemoCluster, startPrometheus } = await import(
      '@kubecopilot/demo-cluster'
    );
    await import('@kubernetes/client-node');
    state.cluster = await startDemoCluster({
      port: 0,
      metricsPort: 0,
      podStartupMs: 50,
      scenarios: [`${SCENARIOS}/cluster.yaml`, `${SCENARIOS}/checkout.yaml`],
      onRequest: entry => {
        if (entry.method !== 'GET' && !entry.path.includes('dryRun=All')) {
          writes.push(
            `${entry.method} ${entry.path.split('?')[0]} ${entry.status}`,
          );
        }
      },
    });
    await options.prepare?.(state.cluster);
    state.prometheus = await startPrometheus({
      scrapeTargets: [`127.0.0.1:${state.cluster.metricsPort}`],
      scrapeIntervalSeconds: 1,
    });
    state.server = await startShopBackend(
      state.cluster,
      {
        kubecopilot: {
          prometheus: {
            clusters: [{ cluster: 'demo', baseUrl: state.prometheus.url }],
          },
          // Short analysis so a gate takes seconds, not minutes.
          canary: {
            analysis: {
              delaySeconds: 4,
              intervalSeconds: 2,
              samples: 3,
              window: '10s',
            },
          },
        },
      },
      [component('checkout')],
    );
  });
  afterAll(async () => {
    await state.prometheus?.stop();
    await state.cluster?.stop();
  });
  beforeEach(() => {
    writes.length = 0;
  });
  const server = () => state.server!;
  return {
    writes,
    cluster: () => state.cluster!,
    server,
    deployment: (name: string) =>
      state.cluster!.getObject('apps/v1', 'Deployment', 'shop', name) as any,
    /** POSTs to `/plans/<path>` as `as`. */
    act: (as: string, path: string, body: object = {}) =>
      request(server())
        .post(`/api/kubecopilot/plans/${path}`)
        .set('authorization', as)
        .send(body),
    /** Plan `id`, read as `as`, once its status is one of `statuses`. */
    waitFor: (as: string, id: string, statuses: string[]) =>
      waitForPlan(server(), as, id, statuses, options.planTimeoutMs ?? 90_000),
  };
}
