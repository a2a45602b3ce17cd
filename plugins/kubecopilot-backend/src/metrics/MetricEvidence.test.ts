import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { MetricsClient } from '../prometheus';
import { MetricEvidence } from './MetricEvidence';

const finding = (code: string, cluster = 'demo'): Finding => ({
  analyzer: 'pod',
  code,
  severity: 'critical',
  cluster,
  resource: { kind: 'Pod', namespace: 'shop', name: 'resizer-7d9f-x' },
  container: 'resizer',
  message: 'm',
  evidence: [],
});

function client(
  answer: (promql: string, signal?: AbortSignal) => Promise<number | null>,
): MetricsClient {
  return {
    isConfigured: cluster => cluster === 'demo',
    query: async (_cluster, promql, options) => ({
      value: await answer(promql, options?.signal),
      series: 1,
    }),
  };
}

describe('MetricEvidence', () => {
  it('leaves notes alone: a recovered container gets no queries and no note', async () => {
    const recovered = {
      ...finding('ContainerRecovered'),
      severity: 'info' as const,
    };
    const asked: string[] = [];
    const evidence = new MetricEvidence({
      client: client(async promql => {
        asked.push(promql);
        throw new Error('Prometheus is unreachable');
      }),
      timeoutMs: 1000,
    });
    expect(await evidence.enrich([recovered])).toEqual([]);
    expect(asked).toEqual([]);
    expect(recovered.evidence).toEqual([]);
  });

  it('adds memory against the limit to an OOMKill, and throttling when it matters', async () => {
    const oom = finding('OOMKilled');
    const crash = finding('CrashLoopBackOff');
    const elsewhere = finding('OOMKilled', 'edge');
    const evidence = new MetricEvidence({
      client: client(async promql => {
        if (promql.includes('working_set')) return 250 * 2 ** 20;
        if (promql.includes('resource_limits')) return 256 * 2 ** 20;
        return promql.includes('throttled') ? 0.42 : null;
      }),
      timeoutMs: 1000,
    });
    expect(await evidence.enrich([oom, crash, elsewhere])).toEqual([]);
    expect(oom.evidence).toEqual([
      {
        type: 'field',
        path: 'max(max_over_time(container_memory_working_set_bytes{namespace="shop",pod="resizer-7d9f-x",container="resizer"}[15m]))',
        value: '250 MiB',
        message:
          'memory working set peaked at 98% of its 256 MiB limit over the last 15m',
      },
      expect.objectContaining({
        value: '42%',
        path: expect.stringContaining(
          'container_cpu_cfs_throttled_periods_total',
        ),
      }),
    ]);
    expect(crash.evidence).toHaveLength(1);
    expect(elsewhere.evidence).toEqual([]);
  });

  it('gives up at its deadline with one note, leaving the findings as they were', async () => {
    const oom = finding('OOMKilled');
    const evidence = new MetricEvidence({
      client: client(
        (_q, signal) =>
          new Promise((_, reject) =>
            signal?.addEventListener('abort', () => reject(signal.reason)),
          ),
      ),
      timeoutMs: 50,
    });
    const started = Date.now();
    expect(await evidence.enrich([oom, finding('ProbeFailure')])).toEqual([
      "cluster 'demo': Prometheus did not answer within 50 ms; the diagnosis has no metric evidence",
    ]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(oom.evidence).toEqual([]);
  });
});
