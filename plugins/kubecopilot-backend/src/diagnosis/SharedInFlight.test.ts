import {
  CacheService,
  CacheServiceOptions,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  Computed,
  SharedInFlight,
  SharedInFlightOptions,
} from './SharedInFlight';

/**
 * The cache service as a shared store looks to each replica: one map with
 * TTLs behind a little latency, which can be made to fail.
 */
function fakeSharedCache() {
  const entries = new Map<string, { value: unknown; expires: number }>();
  const ops: Array<{ op: string; key: string; ttl?: number }> = [];
  let failing = false;
  const tick = () => new Promise(r => setTimeout(r, 1));
  const cache: CacheService = {
    async get(key: string) {
      ops.push({ op: 'get', key });
      await tick();
      if (failing) throw new Error('cache down');
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expires <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value as any;
    },
    async set(key: string, value: unknown, options?: { ttl?: any }) {
      ops.push({ op: 'set', key, ttl: options?.ttl });
      await tick();
      if (failing) throw new Error('cache down');
      entries.set(key, {
        value,
        expires: Date.now() + (options?.ttl ?? 60_000),
      });
    },
    async delete(key: string) {
      ops.push({ op: 'delete', key });
      await tick();
      if (failing) throw new Error('cache down');
      entries.delete(key);
    },
    withOptions: (_: CacheServiceOptions) => cache,
  };
  return {
    cache,
    ops,
    entries,
    fail(on: boolean) {
      failing = on;
    },
  };
}

type Answer = { text: string };

/** One "replica": a coalescer of its own over the shared cache. */
const replica = (
  cache: CacheService,
  options: Partial<SharedInFlightOptions> = {},
) =>
  new SharedInFlight<Answer>({
    cache,
    logger: mockServices.logger.mock(),
    answerPrefix: 'diagnosis:v1:',
    answerTtlMs: 60_000,
    deadlineMs: 2_000,
    pollMs: { initial: 20, max: 50 },
    ...options,
  });

/** A model call that answers after `ms`, counting calls. */
function model(ms: number, result: (n: number) => Computed<Answer>) {
  const calls: number[] = [];
  return {
    calls,
    call: async (): Promise<Computed<Answer>> => {
      calls.push(Date.now());
      await new Promise(r => setTimeout(r, ms));
      return result(calls.length);
    },
  };
}

const answer = (n: number): Computed<Answer> => ({
  value: { text: `answer ${n}` },
  share: true,
});

describe('SharedInFlight', () => {
  it('lets a second replica wait for the first one’s answer: one model call', async () => {
    const shared = fakeSharedCache();
    const a = replica(shared.cache);
    const b = replica(shared.cache);
    const llm = model(300, answer);

    const first = a.run('k', llm.call);
    await new Promise(r => setTimeout(r, 50)); // A holds the lease
    const second = b.run('k', llm.call);

    await expect(first).resolves.toEqual({
      value: { text: 'answer 1' },
      cached: false,
    });
    await expect(second).resolves.toEqual({
      value: { text: 'answer 1' },
      cached: true,
    });
    expect(llm.calls).toHaveLength(1);
    // The lease was the deadline plus the margin long, and is gone.
    expect(
      shared.ops.find(o => o.op === 'set' && o.key.includes('llm-lease')),
    ).toMatchObject({ key: 'kubecopilot:llm-lease:k', ttl: 4_000 });
    expect(shared.entries.has('kubecopilot:llm-lease:k')).toBe(false);
    expect(shared.entries.get('diagnosis:v1:k')?.value).toEqual({
      text: 'answer 1',
    });
  });

  it('coalesces replicas that start at the same moment (the last lease writer wins on both)', async () => {
    const shared = fakeSharedCache();
    const replicas = [replica(shared.cache), replica(shared.cache)];
    const llm = model(200, answer);

    const results = await Promise.all(
      [0, 1, 2, 3].map(i => replicas[i % 2].run('k', llm.call)),
    );

    expect(llm.calls).toHaveLength(1);
    expect(new Set(results.map(r => r.value.text))).toEqual(
      new Set(['answer 1']),
    );
    // One lease attempt per process: two lease writes in all.
    expect(
      shared.ops.filter(o => o.op === 'set' && o.key.includes('llm-lease')),
    ).toHaveLength(2);
  });

  it('serves a cached answer without a lease or a call', async () => {
    const shared = fakeSharedCache();
    const llm = model(10, answer);
    await replica(shared.cache).run('k', llm.call);
    shared.ops.length = 0;

    await expect(replica(shared.cache).run('k', llm.call)).resolves.toEqual({
      value: { text: 'answer 1' },
      cached: true,
    });
    expect(llm.calls).toHaveLength(1);
    expect(shared.ops).toEqual([{ op: 'get', key: 'diagnosis:v1:k' }]);
  });

  it('makes the waiter call the model itself when the owner falls back (nothing shareable)', async () => {
    const shared = fakeSharedCache();
    const a = replica(shared.cache);
    const b = replica(shared.cache);
    const llm = model(200, n => ({
      value: { text: n === 1 ? 'rules' : `answer ${n}` },
      share: n !== 1, // the first call fails over to the rules
    }));

    const first = a.run('k', llm.call);
    await new Promise(r => setTimeout(r, 50));
    const second = b.run('k', llm.call);

    await expect(first).resolves.toEqual({
      value: { text: 'rules' },
      cached: false,
    });
    await expect(second).resolves.toEqual({
      value: { text: 'answer 2' },
      cached: false,
    });
    expect(llm.calls).toHaveLength(2);
    expect(shared.entries.get('diagnosis:v1:k')?.value).toEqual({
      text: 'answer 2',
    });
  });

  it('releases the lease when the owner throws, and the waiter answers', async () => {
    const shared = fakeSharedCache();
    const a = replica(shared.cache);
    const b = replica(shared.cache);
    const llm = model(10, answer);

    const first = a.run('k', async () => {
      await new Promise(r => setTimeout(r, 200));
      throw new Error('boom');
    });
    await new Promise(r => setTimeout(r, 50));
    const started = Date.now();
    const second = b.run('k', llm.call);

    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toEqual({
      value: { text: 'answer 1' },
      cached: false,
    });
    // Noticed at the next poll, not at the deadline.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(shared.entries.has('kubecopilot:llm-lease:k')).toBe(false);
  });

  it('waits no longer than the deadline for an owner that does not answer', async () => {
    const shared = fakeSharedCache();
    const a = replica(shared.cache, { deadlineMs: 300 });
    const b = replica(shared.cache, { deadlineMs: 300 });
    const llm = model(10, answer);

    // An owner that holds the lease and never answers (a stuck or dead replica).
    const stuck = a.run('k', () => new Promise<Computed<Answer>>(() => {}));
    void stuck;
    await new Promise(r => setTimeout(r, 50));
    const started = Date.now();
    const result = await b.run('k', llm.call);
    const waited = Date.now() - started;

    expect(result).toEqual({ value: { text: 'answer 1' }, cached: false });
    expect(llm.calls).toHaveLength(1);
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(300 + 200);
  });

  it('still answers, without coalescing, when the cache fails', async () => {
    const shared = fakeSharedCache();
    shared.fail(true);
    const a = replica(shared.cache);
    const b = replica(shared.cache);
    const llm = model(100, answer);

    const results = await Promise.all([
      a.run('k', llm.call),
      b.run('k', llm.call),
    ]);

    expect(results.map(r => r.cached)).toEqual([false, false]);
    expect(llm.calls).toHaveLength(2);
    // Nothing but the one failed read each: no lease, no wait, no write.
    expect(shared.ops.map(o => o.op)).toEqual(['get', 'get']);
  });

  it('stops waiting and answers when the cache fails while waiting', async () => {
    const shared = fakeSharedCache();
    const a = replica(shared.cache);
    const b = replica(shared.cache);
    const llm = model(400, answer);

    const first = a.run('k', llm.call);
    await new Promise(r => setTimeout(r, 50));
    const second = b.run('k', llm.call);
    await new Promise(r => setTimeout(r, 50));
    shared.fail(true);

    await expect(second).resolves.toMatchObject({ cached: false });
    await expect(first).resolves.toMatchObject({ cached: false });
    expect(llm.calls).toHaveLength(2);
  });

  it('is harmless on a per-process store: one call per process', async () => {
    // The memory store: each replica has its own cache, so only the
    // in-process coalescing applies.
    const mine = replica(fakeSharedCache().cache);
    const theirs = replica(fakeSharedCache().cache);
    const llm = model(100, answer);

    const results = await Promise.all([
      mine.run('k', llm.call),
      mine.run('k', llm.call),
      theirs.run('k', llm.call),
      theirs.run('k', llm.call),
    ]);

    expect(llm.calls).toHaveLength(2);
    expect(results.every(r => r.value.text.startsWith('answer'))).toBe(true);
  });
});
