import { ConfigReader } from '@backstage/config';
import { readPrometheusConfig } from './config';
import { DEFAULT_CANARY_QUERY_TEMPLATES } from './queries';
import { defaultMetricQueryTemplates } from './metricQueries';

const read = (prometheus: unknown) =>
  readPrometheusConfig(
    new ConfigReader({ kubecopilot: { prometheus } } as any),
  );

function messageOf(prometheus: unknown): string {
  try {
    read(prometheus);
  } catch (e) {
    expect((e as Error).name).toBe('InputError');
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('readPrometheusConfig', () => {
  it('applies the defaults', () => {
    const config = readPrometheusConfig(new ConfigReader({}));
    expect(config).toEqual({
      baseUrl: undefined,
      timeoutMs: 10_000,
      clusters: new Map(),
      queries: DEFAULT_CANARY_QUERY_TEMPLATES,
      metrics: {
        queries: defaultMetricQueryTemplates(DEFAULT_CANARY_QUERY_TEMPLATES),
        timeoutMs: 8_000,
      },
    });
  });

  it('reads the chart templates; error ratio and p99 follow the canary templates', () => {
    const canaryErrors =
      'sum(rate(istio_requests_total{destination_workload="{{deployment}}",response_code=~"5.."}[{{window}}])) / sum(rate(istio_requests_total{destination_workload="{{deployment}}"}[{{window}}]))';
    const config = read({
      queries: { errorRate: canaryErrors },
      metrics: {
        timeoutMs: '3000',
        queries: { memory: 'sum(container_memory_rss{pod=~"{{pod}}"})' },
      },
    });
    expect(config.metrics.timeoutMs).toBe(3000);
    expect(config.metrics.queries.memory).toBe(
      'sum(container_memory_rss{pod=~"{{pod}}"})',
    );
    expect(config.metrics.queries.errorRatio).toBe(canaryErrors);
    expect(config.metrics.queries.cpu).toContain(
      'container_cpu_usage_seconds_total',
    );
  });

  it('names a bad chart template and an unknown chart', () => {
    expect(
      messageOf({
        metrics: { queries: { cpu: 'rate(x{pod="{{pods}}"}[1m])' } },
      }),
    ).toBe(
      'Invalid Prometheus configuration: kubecopilot.prometheus.metrics.queries.cpu unknown placeholder {{pods}} (use {{namespace}}, {{workload}}, {{deployment}}, {{pod}}, {{window}})',
    );
    expect(messageOf({ metrics: { queries: { disk: 'x' } } })).toBe(
      'Invalid Prometheus configuration: kubecopilot.prometheus.metrics.queries has unknown key disk',
    );
  });

  it('reads every key, trimming trailing slashes', () => {
    const config = read({
      baseUrl: 'http://prometheus.monitoring:9090/',
      timeoutMs: '2500',
      clusters: [
        {
          cluster: 'east',
          baseUrl: 'https://prom.east.example.com/prometheus/',
          headers: { Authorization: 'Bearer t' },
        },
        { cluster: 'west', baseUrl: 'http://prom.west:9090' },
      ],
      queries: {
        errorRate:
          'sum(rate(istio_requests_total{destination_workload="{{ deployment }}",response_code=~"5.."}[{{window}}]))',
      },
    });
    expect(config.baseUrl).toBe('http://prometheus.monitoring:9090');
    expect(config.timeoutMs).toBe(2500);
    expect([...config.clusters.entries()]).toEqual([
      [
        'east',
        {
          baseUrl: 'https://prom.east.example.com/prometheus',
          headers: { Authorization: 'Bearer t' },
        },
      ],
      ['west', { baseUrl: 'http://prom.west:9090', headers: {} }],
    ]);
    expect(config.queries.errorRate).toContain('istio_requests_total');
    expect(config.queries.p99Latency).toBe(
      DEFAULT_CANARY_QUERY_TEMPLATES.p99Latency,
    );
  });

  it.each([
    [
      { baseUrl: 'prometheus:9090' },
      'kubecopilot.prometheus.baseUrl must be an http(s) URL',
    ],
    [
      { baseUrl: 'http://u:p@prom:9090' },
      'kubecopilot.prometheus.baseUrl must not contain credentials',
    ],
    [{ timeoutMs: 0 }, 'kubecopilot.prometheus.timeoutMs must be a positive'],
    [{ timeoutMs: 1.5 }, 'kubecopilot.prometheus.timeoutMs must be a whole'],
    [{ timeout: 5 }, 'kubecopilot.prometheus has unknown key timeout'],
    [
      { clusters: [{ cluster: 'east' }] },
      'kubecopilot.prometheus.clusters[0].baseUrl: Invalid input',
    ],
    [
      { clusters: [{ cluster: '', baseUrl: 'http://p' }] },
      'kubecopilot.prometheus.clusters[0].cluster must be a cluster name',
    ],
    [
      {
        clusters: [
          { cluster: 'east', baseUrl: 'http://a' },
          { cluster: 'east', baseUrl: 'http://b' },
        ],
      },
      "kubecopilot.prometheus.clusters[1].cluster 'east' is listed twice",
    ],
    [
      {
        clusters: [
          {
            cluster: 'east',
            baseUrl: 'http://a',
            headers: { 'bad name': 'x' },
          },
        ],
      },
      'kubecopilot.prometheus.clusters[0].headers has an invalid header name "bad name"',
    ],
    [
      { queries: { p99Latency: 'histogram_quantile(0.99, x{ns="{{ns}}"})' } },
      'kubecopilot.prometheus.queries.p99Latency unknown placeholder {{ns}}',
    ],
    [
      { queries: { errorRate: 'sum(rate(errors_total[1m]))' } },
      'kubecopilot.prometheus.queries.errorRate must use {{deployment}}',
    ],
    [
      { queries: { latency: 'x' } },
      'kubecopilot.prometheus.queries has unknown key latency',
    ],
  ])('rejects %j', (prometheus, message) => {
    expect(messageOf(prometheus)).toContain(message);
  });

  it('never shows header values in its messages', () => {
    const message = messageOf({
      clusters: [
        {
          cluster: 'east',
          baseUrl: 'nope',
          headers: { Authorization: 'Bearer SECRET-123', 'x y': 'SECRET-456' },
        },
      ],
    });
    expect(message).toContain('clusters[0].baseUrl');
    expect(message).not.toContain('SECRET');
  });
});
