/*
 * Metrics benchmark (run by `npm run bench`, or alone from the repo root:
 * `node -r @backstage/cli/config/nodeTransform.cjs plugins/kubecopilot-backend/src/bench/metrics.bench.ts`).
 * Prints `BENCH_RESULT {json}` lines; see scripts/bench.mjs.
 *
 * Against the demo cluster (shop scenarios) scraped every second by the real
 * Prometheus (/usr/bin/prometheus; without it one info line says so):
 * 1. `GET /metrics` (storefront, 1h: 12 range queries) p95;
 * 2. `GET /slos` (storefront: two SLOs, 5 instant queries each) p95;
 * 3. the rules-only diagnosis of the OOM-killed image-resizer with metric
 *    evidence vs the same backend without Prometheus, p95 difference —
 *    target ≤ +150 ms.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import {
  DEFAULT_PROMETHEUS_BINARY,
  startDemoCluster,
  startPrometheus,
} from '@kubecopilot/demo-cluster';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { kubecopilotPlugin } from '../plugin';
// A dev script: it runs the same backend as the metrics integration test.
// eslint-disable-next-line no-restricted-imports
import {
  backendConfig,
  component,
  SCENARIOS,
} from '../__testUtils__/demoBackend';

const RUNS = Number(process.env.KUBECOPILOT_BENCH_METRICS_RUNS ?? 40);
const alice = mockCredentials.user.header('user:default/alice');

const print = (figure: Record<string, unknown>) =>
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(figure)}\n`);
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
};
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

async function startBackend(
  cluster: Parameters<typeof backendConfig>[0],
  prometheus?: Record<string, unknown>,
): Promise<Server> {
  const storefront: Entity = component('storefront');
  storefront.metadata.annotations = {
    ...storefront.metadata.annotations,
    'backstage.io/managed-by-location': `file:${resolve(
      SCENARIOS,
      '../entities.yaml',
    )}`,
    'kubecopilot.io/openslo': './slos/storefront.yaml',
  };
  const backend = await startTestBackend({
    features: [
      kubecopilotPlugin,
      kubernetesPlugin,
      catalogServiceMock.factory({
        entities: [storefront, component('image-resizer')],
      }),
      mockServices.rootConfig.factory({
        data: backendConfig(cluster, {
          kubecopilot: {
            risk: { productionNamespaces: [] },
            ...(prometheus ? { prometheus } : {}),
          },
        }),
      }),
    ],
  });
  return backend.server;
}

async function timed(
  server: Server,
  send: (server: Server) => request.Test,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const res = await send(server);
    times.push(performance.now() - started);
    if (res.status !== 200) {
      throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.body)}`);
    }
  }
  return times;
}

async function main() {
  if (!existsSync(DEFAULT_PROMETHEUS_BINARY)) {
    print({
      figure: `metrics endpoints: skipped, ${DEFAULT_PROMETHEUS_BINARY} is missing (apt-get install prometheus)`,
      value: 0,
      unit: '',
    });
    return;
  }
  const cluster = await startDemoCluster({
    port: 0,
    podStartupMs: 50,
    metricsPort: 0,
    scenarios: ['cluster', 'storefront', 'image-resizer'].map(s =>
      join(SCENARIOS, `${s}.yaml`),
    ),
  });
  const prometheus = await startPrometheus({
    scrapeTargets: [`127.0.0.1:${cluster.metricsPort}`],
    scrapeIntervalSeconds: 1,
  });
  try {
    const withPrometheus = await startBackend(cluster, {
      clusters: [{ cluster: 'demo', baseUrl: prometheus.url }],
    });
    const without = await startBackend(cluster);
    // A few scrapes, so rates and the memory peak have samples.
    await new Promise(r => setTimeout(r, 5000));

    const metrics = await timed(withPrometheus, s =>
      request(s)
        .get(
          '/api/kubecopilot/metrics?entityRef=component:default/storefront&range=1h',
        )
        .set('authorization', alice),
    );
    print({
      figure:
        'GET /metrics p95 (storefront, 1h, 12 range queries, demo Prometheus)',
      value: round(percentile(metrics, 95)),
      unit: 'ms',
      target: '≤ 1000 ms',
      pass: percentile(metrics, 95) <= 1000,
      p50: round(percentile(metrics, 50)),
      requests: metrics.length,
    });

    const slos = await timed(withPrometheus, s =>
      request(s)
        .get('/api/kubecopilot/slos?entityRef=component:default/storefront')
        .set('authorization', alice),
    );
    print({
      figure: 'GET /slos p95 (storefront, 2 SLOs × 5 windows, demo Prometheus)',
      value: round(percentile(slos, 95)),
      unit: 'ms',
      p50: round(percentile(slos, 50)),
      requests: slos.length,
    });

    // One user per request: the per-user diagnosis rate limit is not measured here.
    let caller = 0;
    const diagnose = (s: Server) =>
      request(s)
        .post('/api/kubecopilot/diagnoses')
        .set(
          'authorization',
          mockCredentials.user.header(`user:default/bench-${caller++}`),
        )
        .send({ entityRef: 'component:default/image-resizer' });
    // Interleaved, so both backends see the same load.
    const withTimes: number[] = [];
    const withoutTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      withTimes.push(...(await timedOnce(withPrometheus, diagnose)));
      withoutTimes.push(...(await timedOnce(without, diagnose)));
    }
    const added = percentile(withTimes, 95) - percentile(withoutTimes, 95);
    print({
      figure:
        'diagnosis time added by metric evidence, p95 (image-resizer, rules only)',
      value: round(added),
      unit: 'ms',
      target: '≤ +150 ms',
      pass: added <= 150,
      withMetricsP95: round(percentile(withTimes, 95)),
      withoutMetricsP95: round(percentile(withoutTimes, 95)),
      requests: withTimes.length,
    });
    withPrometheus.close();
    without.close();
  } finally {
    await prometheus.stop();
    await cluster.stop();
  }
}

async function timedOnce(
  server: Server,
  send: (server: Server) => request.Test,
): Promise<number[]> {
  const started = performance.now();
  const res = await send(server);
  if (res.status !== 200) {
    throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return [performance.now() - started];
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
