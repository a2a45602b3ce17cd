import {
  GateMeasurement,
  PlanGate,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { evaluateGate, formatGateValue } from './evaluateGate';
import { MetricsClient, MetricsQueryResult } from './PrometheusClient';

type Answer = number | null | Error;

/** A client answering from a script, one answer per query. */
function fakeClient(...answers: Answer[]) {
  const calls: { cluster: string; promql: string }[] = [];
  const client: MetricsClient = {
    isConfigured: () => true,
    async query(cluster, promql): Promise<MetricsQueryResult> {
      calls.push({ cluster, promql });
      const answer = answers.shift();
      if (answer === undefined) throw new Error('unexpected extra query');
      if (answer instanceof Error) throw answer;
      return { value: answer, series: answer === null ? 0 : 1 };
    },
  };
  return { client, calls };
}

function fakeClock() {
  let t = Date.parse('2026-01-15T12:00:00Z');
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    now: () => new Date(t),
  };
}

const errorRateGate: PlanGate = {
  metric: 'error rate',
  query: 'sum(rate(errors[1m])) / sum(rate(requests[1m]))',
  operator: '<',
  threshold: 0.01,
  unit: 'ratio',
  delaySeconds: 30,
  intervalSeconds: 10,
  samples: 3,
};

const latencyGate: PlanGate = {
  metric: 'p99 latency',
  query: 'histogram_quantile(0.99, ...)',
  operator: '<',
  threshold: 0.5,
  unit: 'seconds',
  delaySeconds: 0,
  intervalSeconds: 10,
  samples: 3,
};

describe('evaluateGate', () => {
  it('passes when every sample passes, after the delay and at the interval', async () => {
    const { client, calls } = fakeClient(0.002, 0.0015, 0.0021);
    const clock = fakeClock();
    const seen: GateMeasurement[] = [];
    const result = await evaluateGate(client, 'demo', errorRateGate, {
      ...clock,
      onSample: m => {
        seen.push(m);
      },
    });
    expect(result).toEqual({
      passed: true,
      measurements: [
        { at: '2026-01-15T12:00:30.000Z', value: 0.002, passed: true },
        { at: '2026-01-15T12:00:40.000Z', value: 0.0015, passed: true },
        { at: '2026-01-15T12:00:50.000Z', value: 0.0021, passed: true },
      ],
      message: 'error rate 0.21% < 1% in 3 of 3 samples',
    });
    expect(seen).toEqual(result.measurements);
    expect(clock.sleeps).toEqual([30_000, 10_000, 10_000]);
    expect(calls).toEqual(
      Array(3).fill({ cluster: 'demo', promql: errorRateGate.query }),
    );
  });

  it('fails at the first failing sample and takes no more', async () => {
    const { client, calls } = fakeClient(0.12, 0.9, 0.1);
    const clock = fakeClock();
    const result = await evaluateGate(client, 'demo', latencyGate, clock);
    expect(result.passed).toBe(false);
    expect(result.measurements.map(m => [m.value, m.passed])).toEqual([
      [0.12, true],
      [0.9, false],
    ]);
    expect(result.message).toBe(
      'p99 latency 900 ms ≥ 500 ms at sample 2: gate failed',
    );
    expect(calls).toHaveLength(2);
  });

  it('compares with every operator', async () => {
    const gate = (operator: PlanGate['operator']): PlanGate => ({
      ...latencyGate,
      metric: 'success rate',
      unit: 'number',
      operator,
      threshold: 5,
      samples: 1,
    });
    const run = async (operator: PlanGate['operator'], value: number) =>
      (
        await evaluateGate(
          fakeClient(value).client,
          'c',
          gate(operator),
          fakeClock(),
        )
      ).passed;
    expect(await run('<', 5)).toBe(false);
    expect(await run('<=', 5)).toBe(true);
    expect(await run('>', 5)).toBe(false);
    expect(await run('>=', 5)).toBe(true);
    expect(await run('>', 6)).toBe(true);
    const failed = await evaluateGate(
      fakeClient(4).client,
      'c',
      gate('>='),
      fakeClock(),
    );
    expect(failed.message).toBe('success rate 4 < 5 at sample 1: gate failed');
  });

  it('fails when no sample had data, with a hint', async () => {
    const { client } = fakeClient(null, null, null);
    const result = await evaluateGate(
      client,
      'demo',
      errorRateGate,
      fakeClock(),
    );
    expect(result.passed).toBe(false);
    expect(result.measurements.map(m => m.passed)).toEqual([null, null, null]);
    expect(result.message).toBe(
      'error rate: no data in 3 samples: gate failed (is the canary receiving traffic and scraped by Prometheus?)',
    );
  });

  it('passes with some inconclusive samples when one is conclusive and none failed', async () => {
    const unavailable = new ServiceUnavailableError(
      "Prometheus for cluster 'demo' at http://p/api/v1/query did not answer within 10000 ms",
    );
    const { client } = fakeClient(null, unavailable, 0.004);
    const result = await evaluateGate(
      client,
      'demo',
      errorRateGate,
      fakeClock(),
    );
    expect(result.passed).toBe(true);
    expect(result.measurements.map(m => [m.value, m.passed])).toEqual([
      [null, null],
      [null, null],
      [0.004, true],
    ]);
    expect(result.message).toBe(
      `error rate 0.4% < 1% in 1 of 3 samples (2 without data; 1 of 3 samples failed, last: ${unavailable.message})`,
    );
  });

  it('counts client errors as inconclusive and keeps their message', async () => {
    const down = new ServiceUnavailableError(
      "Prometheus for cluster 'demo' at http://127.0.0.1:9090/api/v1/query is unreachable: ECONNREFUSED",
    );
    const { client, calls } = fakeClient(down, down, down);
    const result = await evaluateGate(
      client,
      'demo',
      errorRateGate,
      fakeClock(),
    );
    expect(result.passed).toBe(false);
    expect(calls).toHaveLength(3);
    expect(result.measurements.map(m => m.passed)).toEqual([null, null, null]);
    expect(result.message).toBe(
      `error rate: no data in 3 samples: gate failed (is the canary receiving traffic and scraped by Prometheus?); 3 of 3 samples failed, last: ${down.message}`,
    );
  });

  it('stops at an error that repeating cannot fix', async () => {
    for (const error of [
      new InputError(
        "Prometheus rejected the query for cluster 'demo': parse error (bad_data)",
      ),
      new NotFoundError("no Prometheus configured for cluster 'demo' (...)"),
    ]) {
      const { client, calls } = fakeClient(0.001, error, 0.001);
      const result = await evaluateGate(
        client,
        'demo',
        errorRateGate,
        fakeClock(),
      );
      expect(calls).toHaveLength(2);
      expect(result.passed).toBe(false);
      expect(result.message).toBe(
        `error rate: the query failed at sample 2: gate failed (${error.message})`,
      );
    }
  });

  it('rejects promptly when aborted during the delay, even if sleep ignores the signal', async () => {
    const { client, calls } = fakeClient(0.001);
    const controller = new AbortController();
    const reason = new Error('plan cancelled');
    const pending = evaluateGate(client, 'demo', errorRateGate, {
      signal: controller.signal,
      sleep: () => new Promise(() => {}),
    });
    setTimeout(() => controller.abort(reason), 10);
    await expect(pending).rejects.toBe(reason);
    expect(calls).toHaveLength(0);
  });

  it('rejects promptly when aborted during a query, with the real sleep', async () => {
    const controller = new AbortController();
    let queries = 0;
    const client: MetricsClient = {
      isConfigured: () => true,
      query: (_c, _q, options) => {
        queries++;
        expect(options?.signal).toBe(controller.signal);
        return new Promise(() => {});
      },
    };
    const pending = evaluateGate(
      client,
      'demo',
      { ...errorRateGate, delaySeconds: 0 },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(queries).toBe(1);
  });

  it('rejects promptly when aborted during the delay, with the real sleep', async () => {
    const { client, calls } = fakeClient(0.001);
    const controller = new AbortController();
    const reason = new Error('plan cancelled');
    const started = Date.now();
    const pending = evaluateGate(client, 'demo', errorRateGate, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(reason), 10);
    await expect(pending).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(calls).toHaveLength(0);
  });

  it('rejects at once with an already aborted signal', async () => {
    const { client, calls } = fakeClient(0.001);
    await expect(
      evaluateGate(client, 'demo', errorRateGate, {
        signal: AbortSignal.abort(new Error('stop')),
      }),
    ).rejects.toThrow('stop');
    expect(calls).toHaveLength(0);
  });
});

describe('formatGateValue', () => {
  it('shows ratios as %, seconds as ms, numbers plainly', () => {
    expect(formatGateValue(0.002, 'ratio')).toBe('0.2%');
    expect(formatGateValue(0.08, 'ratio')).toBe('8%');
    expect(formatGateValue(0.012345, 'ratio')).toBe('1.23%');
    expect(formatGateValue(0, 'ratio')).toBe('0%');
    expect(formatGateValue(0.9, 'seconds')).toBe('900 ms');
    expect(formatGateValue(0.12214, 'seconds')).toBe('122 ms');
    expect(formatGateValue(0.0004, 'seconds')).toBe('0.4 ms');
    expect(formatGateValue(12.5, 'seconds')).toBe('12.5 s');
    expect(formatGateValue(42, 'number')).toBe('42');
    expect(formatGateValue(123456.7, 'number')).toBe('123457');
  });
});
