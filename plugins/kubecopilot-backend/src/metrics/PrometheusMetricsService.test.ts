import { mockCredentials } from '@backstage/backend-test-utils';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { WorkloadsResponse } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { MetricsRangeClient, MetricsRangeSeries } from '../prometheus';
import { defaultMetricQueryTemplates } from '../prometheus/metricQueries';
import { DEFAULT_CANARY_QUERY_TEMPLATES } from '../prometheus/queries';
import {
  PrometheusMetricsService,
  rateWindow,
} from './PrometheusMetricsService';

const NOW = new Date('2026-12-06T12:00:07.500Z');
const workload = (cluster: string, name: string, kind = 'Deployment') => ({
  cluster,
  kind,
  namespace: 'shop',
  name,
  ready: 1,
  desired: 1,
  podPhases: { Running: 1 },
  restarts: 0,
  reasons: [],
  images: [],
});

function service(
  answer: (
    cluster: string,
    promql: string,
    signal?: AbortSignal,
  ) => Promise<MetricsRangeSeries[]>,
  workloads: WorkloadsResponse['workloads'],
  configured = ['demo', 'down', 'empty'],
) {
  const calls: { cluster: string; promql: string; range: any }[] = [];
  const client: MetricsRangeClient = {
    isConfigured: cluster => configured.includes(cluster),
    query: jest.fn(),
    queryRange: async (cluster, promql, range, options) => {
      calls.push({ cluster, promql, range });
      return answer(cluster, promql, options?.signal);
    },
  };
  const metrics = new PrometheusMetricsService({
    workloads: {
      getWorkloads: async () => ({
        entityRef: 'component:default/checkout',
        clusters: [...new Set(workloads.map(w => w.cluster))],
        workloads,
        errors: [{ cluster: 'gone', message: 'unreachable' }],
      }),
    },
    client,
    config: {
      queries: defaultMetricQueryTemplates(DEFAULT_CANARY_QUERY_TEMPLATES),
      timeoutMs: 1000,
    },
    now: () => NOW,
  });
  const get = (range: '1h' | '7d' = '1h') =>
    metrics.getMetrics(
      { kind: 'component', namespace: 'default', name: 'checkout' },
      range,
      {
        credentials: mockCredentials.user(),
      },
    );
  return { get, calls };
}

const series = (
  labels: Record<string, string>,
  ...values: number[]
): MetricsRangeSeries => ({
  labels,
  points: values.map((v, i) => [
    NOW.getTime() - (values.length - 1 - i) * 15_000,
    v,
  ]),
});

describe('PrometheusMetricsService', () => {
  it('charts each workload with its window, step and rate window', async () => {
    const { get, calls } = service(
      async (_c, promql) => {
        if (promql.includes('resource_limits') && promql.includes('memory')) {
          return [series({ container: 'api' }, 268435456)];
        }
        if (promql.includes('container_memory_working_set_bytes')) {
          return [series({ container: 'api' }, 1e8, 2e8)];
        }
        return [];
      },
      [
        workload('demo', 'checkout'),
        workload('demo', 'checkout-7d9f-x', 'Pod'),
      ],
    );
    const res = await get();
    expect(res).toMatchObject({
      range: '1h',
      end: '2026-12-06T12:00:07.000Z',
      start: '2026-12-06T11:00:07.000Z',
      stepSeconds: 15,
      errors: [{ cluster: 'gone', message: 'unreachable' }],
    });
    // Pods are charted through their controller only.
    expect(res.workloads.map(w => [w.kind, w.name, w.state])).toEqual([
      ['Deployment', 'checkout', 'ok'],
    ]);
    const memory = res.workloads[0].panels.find(p => p.id === 'memory')!;
    expect(memory.series).toEqual([
      { name: 'api', role: 'value', points: series({}, 1e8, 2e8).points },
      {
        name: 'limit (api)',
        role: 'limit',
        points: series({}, 268435456).points,
      },
    ]);
    expect(res.workloads[0].panels.map(p => p.id)).toEqual([
      'cpu',
      'throttling',
      'memory',
      'restarts',
      'replicas',
      'requestRate',
      'errorRatio',
      'p99Latency',
    ]);
    expect(calls).toHaveLength(12);
    expect(calls[0].range.stepSeconds).toBe(15);
    expect(calls[0].promql).toContain('[60s]');
  });

  it('sizes the step and the rate window to the range', async () => {
    const { get, calls } = service(
      async () => [],
      [workload('demo', 'checkout')],
    );
    const res = await get('7d');
    expect(res.stepSeconds).toBe(1800);
    expect(calls[0].promql).toContain('[3600s]');
    expect(rateWindow(15)).toBe('60s');
  });

  it('says which workloads have no Prometheus, which did not answer and which have no series', async () => {
    const { get } = service(
      async cluster => {
        if (cluster === 'down')
          throw new ServiceUnavailableError(
            "Prometheus for cluster 'down' at http://p/api/v1/query_range is unreachable: ECONNREFUSED",
          );
        return [];
      },
      [
        workload('demo', 'a'),
        workload('down', 'b'),
        workload('elsewhere', 'c'),
      ],
    );
    const res = await get();
    expect(res.workloads.map(w => [w.cluster, w.state, w.message])).toEqual([
      [
        'demo',
        'no-series',
        expect.stringMatching(
          /^Prometheus has no series for Deployment shop\/a between /,
        ),
      ],
      [
        'down',
        'unreachable',
        "Prometheus for cluster 'down' at http://p/api/v1/query_range is unreachable: ECONNREFUSED",
      ],
      [
        'elsewhere',
        'not-configured',
        "No Prometheus is configured for cluster 'elsewhere' (kubecopilot.prometheus.baseUrl or kubecopilot.prometheus.clusters)",
      ],
    ]);
  });

  it('marks only the chart whose query Prometheus rejects', async () => {
    const { get } = service(
      async (_c, promql) => {
        if (promql.includes('histogram_quantile'))
          throw new InputError('Prometheus rejected the query: bad_data');
        return [series({}, 1)];
      },
      [workload('demo', 'a')],
    );
    const [w] = (await get()).workloads;
    expect(w.state).toBe('ok');
    const p99 = w.panels.find(p => p.id === 'p99Latency')!;
    expect(p99).toMatchObject({
      series: [],
      error: 'Prometheus rejected the query: bad_data',
    });
    expect(w.panels.find(p => p.id === 'cpu')!.series[0].name).toBe('cpu');
  });

  it('stops at its deadline and says so', async () => {
    // Like the real client, a query stops when the signal aborts.
    const { get } = service(
      (_c, _q, signal) =>
        new Promise((_, reject) =>
          signal?.addEventListener('abort', () => reject(signal.reason)),
        ),
      [workload('demo', 'a')],
    );
    const started = Date.now();
    const [w] = (
      await Promise.race([
        get(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('hung')), 3000),
        ),
      ])
    ).workloads;
    expect(Date.now() - started).toBeLessThan(2500);
    expect(w).toMatchObject({
      state: 'unreachable',
      message: "Prometheus for cluster 'demo' did not answer within 1000 ms",
    });
  });
});
