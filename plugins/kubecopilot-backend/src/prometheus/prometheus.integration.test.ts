/**
 * Canary gates for real: the demo cluster (shipped `checkout` scenario) with
 * its metrics exporter, the real Prometheus server scraping it every second,
 * PrometheusClient and evaluateGate with the default canary queries. A
 * Deployment of the healthy `checkout:2.4.0` passes the error-rate and p99
 * gates; one of the bad `checkout:2.5.0-beta` fails them.
 *
 * Needs /usr/bin/prometheus (`apt-get install prometheus`); skipped with a
 * warning without it.
 */
import { ConfigReader } from '@backstage/config';
import { PlanGate } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  DEFAULT_PROMETHEUS_BINARY,
  DemoCluster,
  PrometheusServer,
  startDemoCluster,
  startPrometheus,
} from '@kubecopilot/demo-cluster';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluateGate } from './evaluateGate';
import { PrometheusClient } from './PrometheusClient';
import { canaryQueries } from './queries';

jest.setTimeout(60_000);

const SCENARIOS = resolve(__dirname, '../../../../examples/scenarios');
const installed = existsSync(DEFAULT_PROMETHEUS_BINARY);
if (!installed) {
  // eslint-disable-next-line no-console
  console.warn(
    `${DEFAULT_PROMETHEUS_BINARY} is missing (apt-get install prometheus): skipping the Prometheus integration test`,
  );
}

function deployment(name: string, image: string) {
  const labels = { app: name, 'backstage.io/kubernetes-id': 'checkout' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'checkout', image }] },
      },
    },
  };
}

/** The gates a canary plan runs, with short windows for the test. */
function gates(name: string): PlanGate[] {
  const params = { namespace: 'shop', deployment: name, window: '10s' };
  const timing = { delaySeconds: 3, intervalSeconds: 1, samples: 3 };
  return [
    {
      metric: 'error rate',
      query: canaryQueries.errorRateQuery(params),
      operator: '<',
      threshold: 0.01,
      unit: 'ratio',
      ...timing,
    },
    {
      metric: 'p99 latency',
      query: canaryQueries.p99LatencyQuery(params),
      operator: '<',
      threshold: 0.5,
      unit: 'seconds',
      ...timing,
    },
  ];
}

(installed ? describe : describe.skip)('canary gates on Prometheus', () => {
  let cluster: DemoCluster;
  let prometheus: PrometheusServer | undefined;
  let client: PrometheusClient;

  beforeAll(async () => {
    cluster = await startDemoCluster({
      scenarios: [resolve(SCENARIOS, 'checkout.yaml')],
      metricsPort: 0,
      podStartupMs: 100,
    });
    const kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfig());
    const apps = kc.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'shop',
      body: deployment(
        'checkout-good',
        'ghcr.io/kubecopilot-demo/checkout:2.4.0',
      ),
    });
    await apps.createNamespacedDeployment({
      namespace: 'shop',
      body: deployment(
        'checkout-bad',
        'ghcr.io/kubecopilot-demo/checkout:2.5.0-beta',
      ),
    });
    prometheus = await startPrometheus({
      scrapeTargets: [`127.0.0.1:${cluster.metricsPort}`],
      scrapeIntervalSeconds: 1,
    });
    client = PrometheusClient.fromConfig(
      new ConfigReader({
        kubecopilot: {
          prometheus: {
            clusters: [{ cluster: 'demo', baseUrl: prometheus.url }],
            timeoutMs: 5_000,
          },
        },
      }),
    );
  });

  afterAll(async () => {
    await prometheus?.stop();
    await cluster?.stop();
  });

  it('passes the healthy 2.4.0 canary and fails the bad 2.5.0-beta one', async () => {
    const started = Date.now();
    const [goodErrors, goodLatency, badErrors, badLatency] = await Promise.all(
      [...gates('checkout-good'), ...gates('checkout-bad')].map(gate =>
        evaluateGate(client, 'demo', gate),
      ),
    );

    expect(goodErrors.passed).toBe(true);
    expect(goodErrors.measurements).toHaveLength(3);
    expect(goodErrors.message).toMatch(
      /^error rate 0\.2% < 1% in 3 of 3 samples$/,
    );
    for (const m of goodErrors.measurements)
      expect(m.value).toBeCloseTo(0.002, 4);

    expect(goodLatency.passed).toBe(true);
    expect(goodLatency.message).toMatch(
      /^p99 latency 1[0-4]\d ms < 500 ms in 3 of 3 samples$/,
    );

    expect(badErrors.passed).toBe(false);
    expect(badErrors.measurements).toHaveLength(1);
    expect(badErrors.measurements[0].value).toBeCloseTo(0.08, 3);
    expect(badErrors.message).toBe(
      'error rate 8% ≥ 1% at sample 1: gate failed',
    );

    expect(badLatency.passed).toBe(false);
    expect(badLatency.message).toMatch(
      /^p99 latency (9\d\d) ms ≥ 500 ms at sample 1: gate failed$/,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('fails a gate without data, with the hint', async () => {
    const [errorRate] = gates('checkout-missing');
    const result = await evaluateGate(client, 'demo', {
      ...errorRate,
      delaySeconds: 0,
      samples: 2,
    });
    expect(result.passed).toBe(false);
    expect(result.measurements.map(m => m.value)).toEqual([null, null]);
    expect(result.message).toBe(
      'error rate: no data in 2 samples: gate failed (is the canary receiving traffic and scraped by Prometheus?)',
    );
  });

  it("reports Prometheus's own error for bad PromQL", async () => {
    await expect(
      client.query('demo', 'sum(rate(http_requests_total[10s])'),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^Prometheus rejected the query for cluster 'demo': .*parse error.*\(bad_data\)$/,
      ),
    });
  });
});
