/**
 * startPrometheus with the real Prometheus server (Debian package `prometheus`) scraping the
 * demo cluster's metrics exporter. Skipped with a warning when the binary is not installed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_PROMETHEUS_BINARY, prometheusConfig, PrometheusServer, startPrometheus } from './prometheus';
import { SCENARIO_DIR, startTestCluster, TestCluster, testDeployment, waitFor } from './__testUtils__/helpers';

jest.setTimeout(60_000);

const installed = fs.existsSync(DEFAULT_PROMETHEUS_BINARY);
if (!installed) {
  // eslint-disable-next-line no-console
  console.warn(`${DEFAULT_PROMETHEUS_BINARY} is missing (apt-get install prometheus): skipping the Prometheus tests`);
}

describe('startPrometheus', () => {
  it('names apt-get install prometheus when the binary is missing', async () => {
    await expect(
      startPrometheus({ scrapeTargets: ['127.0.0.1:9'], binary: '/nonexistent/prometheus' }),
    ).rejects.toThrow(
      'Prometheus is not installed (no executable /nonexistent/prometheus): install it with `apt-get install prometheus`',
    );
  });

  it('checks its options', async () => {
    await expect(startPrometheus({ scrapeTargets: [] })).rejects.toThrow('at least one scrape target');
    await expect(startPrometheus({ scrapeTargets: ['http://127.0.0.1:9/metrics'] })).rejects.toThrow(
      'invalid scrape target "http://127.0.0.1:9/metrics": expected host:port',
    );
    await expect(startPrometheus({ scrapeTargets: ['127.0.0.1:9'], scrapeIntervalSeconds: 0 })).rejects.toThrow(
      'scrapeIntervalSeconds must be between 0 and 3600, got 0',
    );
  });

  it('generates a configuration scraping the targets at the interval', () => {
    expect(JSON.parse(prometheusConfig(['127.0.0.1:9464', 'localhost:1'], 1))).toEqual({
      global: { scrape_interval: '1000ms', scrape_timeout: '1000ms', evaluation_interval: '1000ms' },
      scrape_configs: [
        {
          job_name: 'kubecopilot-demo-cluster',
          metrics_path: '/metrics',
          scheme: 'http',
          static_configs: [{ targets: ['127.0.0.1:9464', 'localhost:1'] }],
        },
      ],
    });
  });

  (installed ? describe : describe.skip)('the real server', () => {
    let t: TestCluster;
    let prometheus: PrometheusServer | undefined;

    beforeAll(async () => {
      t = await startTestCluster({ scenarios: [`${SCENARIO_DIR}/checkout.yaml`], metricsPort: 0 });
    });

    afterAll(async () => {
      await prometheus?.stop();
      await t?.stop();
    });

    it('scrapes the demo metrics: sum(rate(http_requests_total[5s])) is a number within seconds', async () => {
      await t.apps.createNamespacedDeployment({
        namespace: 'shop',
        body: testDeployment('checkout-canary', { replicas: 2, image: 'ghcr.io/kubecopilot-demo/checkout:2.4.0' }),
      });
      prometheus = await startPrometheus({ scrapeTargets: [`127.0.0.1:${t.cluster.metricsPort}`] });
      expect(prometheus.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(fs.existsSync(path.join(prometheus.dir, 'prometheus.yml'))).toBe(true);
      expect(prometheus.dir.startsWith(os.tmpdir())).toBe(true);

      const query = encodeURIComponent('sum(rate(http_requests_total{namespace="shop",deployment="checkout-canary"}[5s]))');
      const rps = await waitFor(
        async () => {
          const res = await fetch(`${prometheus!.url}/api/v1/query?query=${query}`);
          const body = (await res.json()) as any;
          expect(body.status).toBe('success');
          const v = body.data.result[0]?.value?.[1];
          // The first rates, from fewer samples than the window holds, are extrapolated low.
          return v !== undefined && Math.abs(Number(v) - 40) < 2 ? Number(v) : undefined;
        },
        'sum(rate(...[5s])) near 40 from Prometheus (2 pods at 20 req/s)',
        12_000,
      );
      // Scrapes land a little early or late under load: within 5 % of 40.
      expect(Math.abs(rps! - 40)).toBeLessThan(2);

      const dir = prometheus.dir;
      await prometheus.stop();
      expect(fs.existsSync(dir)).toBe(false);
      await expect(fetch(`${prometheus.url}/-/ready`)).rejects.toThrow();
    });
  });
});
