/**
 * Metrics and SLOs for real: the demo cluster (shop scenarios) and its
 * exporter, the real Prometheus scraping it every second, this plugin and the
 * Kubernetes backend in a test backend, and OpenSLO files beside the catalog
 * file the entities come from.
 *
 * - GET /metrics charts the OOM-killed image-resizer (memory against its
 *   256Mi limit, 6 restarts) and storefront's traffic.
 * - GET /slos: storefront (0.2 % errors against 99.5 %) keeps 60 % of its
 *   budget; a 2.5.0-beta checkout (8 % errors) has spent it and burns 16×.
 * - A plan on the bad one is high risk by the budget rules, with numbers; an
 *   SLO whose Prometheus does not answer makes a plan medium, "budget unknown".
 *
 * Needs /usr/bin/prometheus (`apt-get install prometheus`); skipped with a
 * warning without it.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  DEFAULT_PROMETHEUS_BINARY,
  DemoCluster,
  PrometheusServer,
  startDemoCluster,
  startPrometheus,
} from '@kubecopilot/demo-cluster';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  backendConfig,
  component,
  SCENARIOS,
} from '../__testUtils__/demoBackend';

jest.setTimeout(90_000);

const installed = existsSync(DEFAULT_PROMETHEUS_BINARY);
if (!installed) {
  // eslint-disable-next-line no-console
  console.warn(
    `${DEFAULT_PROMETHEUS_BINARY} is missing (apt-get install prometheus): skipping the metrics and SLO integration test`,
  );
}

const alice = mockCredentials.user.header('user:default/alice');
const MI = 2 ** 20;

/** An OpenSLO v1 availability SLO on http_requests_total of a Deployment. */
const availabilitySlo = (deployment: string, source = 'demo') => `
apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${deployment}-availability
  displayName: ${deployment} availability
spec:
  service: ${deployment}
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  indicator:
    metadata:
      name: ${deployment}-non-5xx
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            metricSourceRef: ${source}
            type: Prometheus
            spec:
              query: http_requests_total{namespace="shop",deployment="${deployment}",code!~"5.."}
        total:
          metricSource:
            metricSourceRef: ${source}
            type: Prometheus
            spec:
              query: http_requests_total{namespace="shop",deployment="${deployment}"}
  objectives:
    - displayName: 99.5% of requests succeed
      target: 0.995
`;

(installed ? describe : describe.skip)('metrics and SLOs on Prometheus', () => {
  let cluster: DemoCluster;
  let prometheus: PrometheusServer | undefined;
  let server: Server;
  let dir: string;

  const withSlo = (name: string, file: string, kubernetesId = name): Entity => {
    const entity = component(name);
    entity.metadata.annotations = {
      ...entity.metadata.annotations,
      'backstage.io/kubernetes-id': kubernetesId,
      'backstage.io/managed-by-location': `file:${join(
        dir,
        'catalog-info.yaml',
      )}`,
      'kubecopilot.io/openslo': `./${file}`,
    };
    return entity;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubecopilot-slo-'));
    writeFileSync(
      join(dir, 'catalog-info.yaml'),
      '# the entities of this test\n',
    );
    writeFileSync(
      join(dir, 'storefront-slo.yaml'),
      availabilitySlo('storefront'),
    );
    writeFileSync(join(dir, 'beta-slo.yaml'), availabilitySlo('checkout-beta'));
    writeFileSync(
      join(dir, 'down-slo.yaml'),
      availabilitySlo('storefront', 'down'),
    );
    writeFileSync(
      join(dir, 'invalid-slo.yaml'),
      availabilitySlo('storefront').replace('target: 0.995', 'target: 99.5'),
    );

    cluster = await startDemoCluster({
      port: 0,
      podStartupMs: 50,
      metricsPort: 0,
      scenarios: ['cluster', 'storefront', 'image-resizer', 'checkout'].map(s =>
        join(SCENARIOS, `${s}.yaml`),
      ),
    });
    const kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfig());
    const labels = {
      app: 'checkout-beta',
      'backstage.io/kubernetes-id': 'checkout-beta',
    };
    await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace: 'shop',
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'checkout-beta', namespace: 'shop', labels },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'checkout-beta' } },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: 'checkout',
                  image: 'ghcr.io/kubecopilot-demo/checkout:2.5.0-beta',
                  resources: { limits: { cpu: '500m', memory: '256Mi' } },
                },
              ],
            },
          },
        },
      },
    });
    prometheus = await startPrometheus({
      scrapeTargets: [`127.0.0.1:${cluster.metricsPort}`],
      scrapeIntervalSeconds: 1,
    });

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
        catalogServiceMock.factory({
          entities: [
            withSlo('storefront', 'storefront-slo.yaml'),
            withSlo('checkout-beta', 'beta-slo.yaml'),
            withSlo('storefront-down', 'down-slo.yaml', 'storefront'),
            withSlo('payments', 'invalid-slo.yaml'),
            component('image-resizer'),
          ],
        }),
        mockServices.rootConfig.factory({
          data: backendConfig(cluster, {
            kubecopilot: {
              risk: { productionNamespaces: [] },
              prometheus: {
                timeoutMs: 5_000,
                clusters: [
                  { cluster: 'demo', baseUrl: prometheus.url },
                  // Nothing listens on the discard port.
                  { cluster: 'down', baseUrl: 'http://127.0.0.1:9' },
                ],
              },
            },
          }),
        }),
      ],
    });
    server = backend.server;
    // A few scrapes of the beta pods, so rates have two samples or more.
    const until = Date.now() + 30_000;
    for (;;) {
      const res = await request(server)
        .get('/api/kubecopilot/slos?entityRef=component:default/checkout-beta')
        .set('authorization', alice);
      if (
        res.body.slos?.[0]?.state === 'ok' &&
        res.body.slos[0].burnRates[0].value !== null
      )
        break;
      if (Date.now() > until)
        throw new Error(`no SLO data: ${JSON.stringify(res.body)}`);
      await new Promise(r => setTimeout(r, 500));
    }
    await new Promise(r => setTimeout(r, 3000));
  });

  afterAll(async () => {
    await prometheus?.stop();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string) =>
    request(server).get(`/api/kubecopilot${path}`).set('authorization', alice);

  const last = (points: [number, number][]) => points[points.length - 1][1];

  it('charts the OOM-killed worker: memory climbing under its 256Mi limit, 6 restarts, CPU against its limit', async () => {
    const res = await get(
      '/metrics?entityRef=component:default/image-resizer&range=1h',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      range: '1h',
      stepSeconds: 15,
      errors: [],
    });
    const [workload] = res.body.workloads;
    expect(workload).toMatchObject({
      cluster: 'demo',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'image-resizer',
      state: 'ok',
    });
    const panel = (id: string) => workload.panels.find((p: any) => p.id === id);
    const memory = panel('memory');
    const limit = memory.series.find((s: any) => s.role === 'limit');
    expect(limit.name).toBe('limit (image-resizer)');
    expect(last(limit.points)).toBe(256 * MI);
    const used = memory.series.find((s: any) => s.role === 'value');
    expect(used.name).toBe('image-resizer');
    const peak = Math.max(...used.points.map((p: [number, number]) => p[1]));
    expect(peak).toBeGreaterThan(0.6 * 256 * MI);
    expect(peak).toBeLessThan(256 * MI);
    expect(memory.queries[0].promql).toContain(
      'container_memory_working_set_bytes',
    );
    expect(last(panel('restarts').series[0].points)).toBe(6);
    expect(
      last(panel('cpu').series.find((s: any) => s.role === 'limit').points),
    ).toBe(0.5);
    expect(last(panel('replicas').series[0].points)).toBe(0);
    // It serves no traffic: no HTTP series, and no error either.
    expect(panel('requestRate')).toMatchObject({ series: [] });
    expect(panel('requestRate').error).toBeUndefined();
  });

  it("charts storefront's traffic from the image's profile", async () => {
    const res = await get(
      '/metrics?entityRef=component:default/storefront&range=6h',
    );
    expect(res.status).toBe(200);
    expect(res.body.stepSeconds).toBe(60);
    const workload = res.body.workloads.find(
      (w: any) => w.name === 'storefront',
    );
    expect(workload.state).toBe('ok');
    const panel = (id: string) => workload.panels.find((p: any) => p.id === id);
    const replicas = last(panel('replicas').series[0].points);
    expect(replicas).toBeGreaterThanOrEqual(1);
    // rate() over a window longer than the test's data reads low; never high.
    const rate = last(panel('requestRate').series[0].points);
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThanOrEqual(20 * replicas * 1.05);
    expect(last(panel('errorRatio').series[0].points)).toBeCloseTo(0.002, 3);
  });

  it("adds the OOM-killed worker's memory against its limit to the diagnosis, naming the PromQL", async () => {
    const res = await request(server)
      .post('/api/kubecopilot/diagnoses')
      .set('authorization', alice)
      .send({ entityRef: 'component:default/image-resizer' });
    expect(res.status).toBe(200);
    const oom = res.body.findings.find((f: any) => f.code === 'OOMKilled');
    expect(oom).toBeDefined();
    const memory = oom.evidence.find((e: any) =>
      e.path?.includes('container_memory_working_set_bytes'),
    );
    expect(memory).toEqual({
      type: 'field',
      path: `max(max_over_time(container_memory_working_set_bytes{namespace="shop",pod="${oom.resource.name}",container="image-resizer"}[15m]))`,
      value: expect.stringMatching(/^\d+ MiB$/),
      message: expect.stringMatching(
        /^memory working set peaked at (6\d|7\d|8\d|9\d)% of its 256 MiB limit over the last 15m$/,
      ),
    });
    expect(res.body.errors).toEqual([]);
  });

  it('checks an edited manifest against the memory its containers used: a limit below the peak is an error, with a limit that fits', async () => {
    const shown = await get(
      '/yaml/manifests?entityRef=component:default/image-resizer',
    );
    expect(shown.status).toBe(200);
    const manifest: string = shown.body.items[0].manifest;
    expect(manifest).toContain('memory: 256Mi');
    // The worker's working set saw-tooths between 60 % and 99 % of 256Mi.
    const edited = manifest.replace(
      /(limits:\n(?: +\S.*\n)*? +memory: )256Mi/,
      '$1128Mi',
    );
    expect(edited).toContain('memory: 128Mi');
    const res = await request(server)
      .post('/api/kubecopilot/yaml/check')
      .set('authorization', alice)
      .send({
        entityRef: 'component:default/image-resizer',
        resource: { kind: 'Deployment', name: 'image-resizer' },
        manifest: edited,
      });
    expect(res.status).toBe(200);
    expect(res.body.warnings).toEqual([]);
    const below = res.body.checks.find(
      (c: any) => c.id === 'resources-memory-limit-below-use',
    );
    expect(below).toMatchObject({
      severity: 'error',
      path: 'spec.template.spec.containers[0].resources.limits.memory',
      message: expect.stringMatching(
        /^Container image-resizer's memory limit \(128Mi\) is below what it uses: its pods' memory working set peaked at (1[5-9]\d|2[0-5]\d) MiB over the last 7d\./,
      ),
    });
    // The suggested limit is the peak plus a quarter, above the old 128Mi.
    const suggested = Number(/^(\d+)Mi$/.exec(below.suggestion.value)?.[1]);
    expect(suggested).toBeGreaterThanOrEqual(192);
    expect(suggested).toBeLessThanOrEqual(352);
    // The errors come first.
    expect(res.body.checks[0].severity).toBe('error');
  });

  it('answers 400 for an unknown range', async () => {
    const res = await get(
      '/metrics?entityRef=component:default/storefront&range=2h',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'range must be one of 1h, 6h, 24h, 7d',
    );
  });

  it('measures the good service: budget mostly left, no burn alert', async () => {
    const res = await get('/slos?entityRef=component:default/storefront');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ declared: true, problems: [] });
    expect(res.body.source).toBe(`file:${join(dir, 'storefront-slo.yaml')}`);
    const [slo] = res.body.slos;
    expect(slo).toMatchObject({
      name: 'storefront-availability',
      target: 0.995,
      timeWindow: '28d',
      cluster: 'demo',
      state: 'ok',
    });
    expect(slo.sli).toBeCloseTo(0.998, 3);
    expect(slo.errorBudgetRemaining).toBeCloseTo(0.6, 1);
    expect(slo.burnRates.find((b: any) => b.window === '1h').value).toBeCloseTo(
      0.4,
      1,
    );
    expect(slo.alerts.map((a: any) => [a.name, a.firing])).toEqual([
      ['fast-burn', false],
      ['slow-burn', false],
    ]);
  });

  it('measures the bad service: budget spent, burning 16× (fast-burn fires)', async () => {
    const res = await get('/slos?entityRef=component:default/checkout-beta');
    const [slo] = res.body.slos;
    expect(slo.state).toBe('ok');
    expect(slo.sli).toBeCloseTo(0.92, 2);
    expect(slo.errorBudgetRemaining).toBeCloseTo(-15, 0);
    for (const window of ['5m', '1h']) {
      expect(
        slo.burnRates.find((b: any) => b.window === window).value,
      ).toBeCloseTo(16, 0);
    }
    expect(slo.alerts.map((a: any) => [a.name, a.firing])).toEqual([
      ['fast-burn', true],
      ['slow-burn', true],
    ]);
  });

  it('scores a plan on the bad service high by its budget, with the numbers', async () => {
    const res = await request(server)
      .post('/api/kubecopilot/plans')
      .set('authorization', alice)
      .send({
        entityRef: 'component:default/checkout-beta',
        action: 'scale',
        resource: { kind: 'Deployment', name: 'checkout-beta' },
        params: { replicas: 3 },
      });
    expect(res.status).toBe(201);
    expect(res.body.risk.level).toBe('high');
    const rules = res.body.risk.reasons.map((r: any) => r.rule);
    expect(rules).toContain('error-budget-exhausted');
    const exhausted = res.body.risk.reasons.find(
      (r: any) => r.rule === 'error-budget-exhausted',
    );
    expect(exhausted.message).toMatch(
      /^SLO 'checkout-beta-availability' \(99\.5% over 28d\) has exhausted its error budget: SLI 9[12](\.\d+)?%, -1,[45]\d\d(\.\d)?% of the budget remaining$/,
    );
  });

  it("says the budget is unknown (medium) when the SLO's Prometheus does not answer", async () => {
    const slos = await get('/slos?entityRef=component:default/storefront-down');
    expect(slos.body.slos[0]).toMatchObject({
      state: 'unreachable',
      cluster: 'down',
      sli: null,
    });
    expect(slos.body.slos[0].message).toMatch(
      /^Prometheus for cluster 'down' at http:\/\/127\.0\.0\.1:9\/api\/v1\/query is unreachable/,
    );

    const replicas = (
      cluster.getObject('apps/v1', 'Deployment', 'shop', 'storefront') as any
    ).spec.replicas;
    const res = await request(server)
      .post('/api/kubecopilot/plans')
      .set('authorization', alice)
      .send({
        entityRef: 'component:default/storefront-down',
        action: 'scale',
        resource: { kind: 'Deployment', name: 'storefront' },
        params: { replicas: replicas + 1 },
      });
    expect(res.status).toBe(201);
    expect(res.body.risk.level).toBe('medium');
    expect(res.body.risk.reasons).toEqual([
      {
        rule: 'error-budget-exhausted',
        level: 'medium',
        message: expect.stringMatching(
          /^error budget unknown for SLO 'storefront-availability': Prometheus for cluster 'down' at .* is unreachable/,
        ),
      },
    ]);
  });

  it('reports an invalid OpenSLO file on the entity, with a 200', async () => {
    const res = await get('/slos?entityRef=component:default/payments');
    expect(res.status).toBe(200);
    expect(res.body.slos).toEqual([]);
    expect(res.body.problems).toEqual([
      "SLO 'storefront-availability': spec.objectives.0.target: must be a fraction below 1 (e.g. 0.995)",
    ]);
  });
});
