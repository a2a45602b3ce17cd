import { InputError } from '@backstage/errors';
import type { MetricsClient } from '../prometheus';
import { podNamePattern, readObservedUse } from './observedUse';

const MI = 2 ** 20;
const CHECKOUT = {
  cluster: 'prod',
  kind: 'Deployment',
  namespace: 'shop',
  name: 'checkout',
};

/** A Prometheus that answers from a table of queries, recording what it was asked. */
function prometheus(
  answer: (promql: string) => number | null | Promise<number | null>,
  clusters = ['prod'],
) {
  const asked: string[] = [];
  const client: MetricsClient = {
    isConfigured: cluster => clusters.includes(cluster),
    query: async (_cluster, promql, options) => {
      asked.push(promql);
      const value = await answer(promql);
      options?.signal?.throwIfAborted();
      return { value, series: value === null ? 0 : 1 };
    },
  };
  return { client, asked };
}

describe('podNamePattern', () => {
  const matches = (kind: string, name: string, pod: string) =>
    new RegExp(`^(?:${podNamePattern(kind, name)})$`).test(pod);

  it('matches the pods each controller names, not a neighbour with the same prefix', () => {
    expect(matches('Deployment', 'checkout', 'checkout-7d9c5b8f6d-x2k4p')).toBe(
      true,
    );
    expect(
      matches('Deployment', 'checkout', 'checkout-worker-7d9c5b8f6d-x2k4p'),
    ).toBe(false);
    expect(matches('StatefulSet', 'db', 'db-0')).toBe(true);
    expect(matches('StatefulSet', 'db', 'db-replica-0')).toBe(false);
    expect(matches('DaemonSet', 'agent', 'agent-x2k4p')).toBe(true);
    // Dots in a name are literal.
    expect(matches('StatefulSet', 'a.b', 'axb-0')).toBe(false);
    expect(podNamePattern('CronJob', 'nightly')).toBeUndefined();
  });
});

describe('readObservedUse', () => {
  it('asks for each container’s peak working set over 7 days across the workload’s pods', async () => {
    const { client, asked } = prometheus(q =>
      q.includes('container="checkout"') ? 210 * MI : null,
    );
    const result = await readObservedUse(client, CHECKOUT, [
      'checkout',
      'proxy',
    ]);
    expect(asked.sort()).toEqual([
      'max(max_over_time(container_memory_working_set_bytes{namespace="shop",pod=~"checkout-[a-z0-9]{1,10}-[a-z0-9]{5}",container="checkout"}[7d]))',
      'max(max_over_time(container_memory_working_set_bytes{namespace="shop",pod=~"checkout-[a-z0-9]{1,10}-[a-z0-9]{5}",container="proxy"}[7d]))',
    ]);
    // No series for the proxy: not judged, rather than judged as using 0.
    expect(result).toEqual({
      observed: {
        window: '7d',
        memoryPeakBytes: { checkout: 210 * MI },
        queries: { checkout: asked.find(q => q.includes('"checkout"}')) },
      },
    });
  });

  it('does not ask a cluster without Prometheus', async () => {
    const { client, asked } = prometheus(() => 1, ['other']);
    expect(await readObservedUse(client, CHECKOUT, ['checkout'])).toEqual({});
    expect(await readObservedUse(undefined, CHECKOUT, ['checkout'])).toEqual(
      {},
    );
    expect(asked).toEqual([]);
  });

  it('says the checks did not run when Prometheus refuses or is too slow', async () => {
    const refused = prometheus(() => {
      throw new InputError('Prometheus rejected the query: bad_data');
    });
    expect(
      await readObservedUse(refused.client, CHECKOUT, ['checkout']),
    ).toEqual({
      note: 'the checks against observed memory use did not run: Prometheus rejected the query: bad_data',
    });
    const slow = prometheus(
      () => new Promise<number>(r => setTimeout(() => r(1), 300)),
    );
    expect(
      await readObservedUse(slow.client, CHECKOUT, ['checkout'], {
        timeoutMs: 50,
      }),
    ).toEqual({
      note: 'Prometheus did not answer within 50 ms, so the checks against observed memory use did not run',
    });
  });
});
