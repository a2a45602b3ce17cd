import { randomUUID } from 'node:crypto';
import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { InFlight } from './InFlight';

export interface SharedInFlightOptions {
  /**
   * `coreServices.cache` (behind `boundedCache`). With a shared store
   * (`backend.cache.store: redis`, valkey, memcache) the lease coalesces
   * across replicas; with the default memory store it only ever sees this
   * process, where the in-memory {@link InFlight} in front already
   * coalesces, so it then changes nothing.
   */
  cache: CacheService;
  logger?: LoggerService;
  /** Prefix of the answer keys, e.g. `diagnosis:v1:`. */
  answerPrefix: string;
  /** Prefix of the lease keys. Default `kubecopilot:llm-lease:`. */
  leasePrefix?: string;
  /** How long answers are kept. */
  answerTtlMs: number;
  /**
   * The computation's own deadline (`kubecopilot.llm.timeoutMs`): the
   * longest a waiter waits for another replica's answer.
   */
  deadlineMs: number;
  /** Added to `deadlineMs` for the lease's TTL. Default 2 s. */
  leaseMarginMs?: number;
  /** First and longest pause between two looks at the cache. Default 100 → 500 ms. */
  pollMs?: { initial: number; max: number };
  /**
   * Pause between writing the lease and reading it back, so that of two
   * replicas racing for it the last writer wins on both. Default 20 ms.
   */
  settleMs?: number;
}

/** What a computation returns: its value, and whether it may be shared. */
export interface Computed<T> {
  value: T;
  /** False for answers that must not be reused (the rules' fallback). */
  share: boolean;
}

/** The value and whether it came from the cache (no computation for this caller). */
export interface Shared<T> {
  value: T;
  cached: boolean;
}

type Read<T> = { ok: true; value: T | undefined } | { ok: false };

const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, Math.max(0, ms)));

/**
 * Request coalescing that holds across replicas, on Backstage's cache
 * service: identical concurrent requests anywhere make one computation (a
 * model call), not one per replica.
 *
 * Per key: a cached answer is served. Otherwise the process takes a short
 * lease, `<leasePrefix><key>` (`get` → absent → `set` with a TTL of the
 * deadline plus a margin, value a random owner id → `get` again to confirm
 * it is the owner's). The owner computes, writes a shareable answer to
 * `<answerPrefix><key>` and deletes the lease. Anyone else waits for the
 * answer (polling with backoff) and serves it as cached; when the lease
 * vanishes without an answer (the owner failed, or fell back to the rules)
 * or the deadline passes, it computes on its own. No one waits for
 * another's answer longer than `deadlineMs`.
 *
 * Limits:
 * - The cache has no compare-and-set. Of two replicas that both read "no
 *   lease" before either's write lands, the last writer normally wins on
 *   both (the `settleMs` pause before the read-back), but a replica stalled
 *   for longer than that between its read and its write can make both
 *   owners: a rare duplicate model call, never a wrong answer.
 * - A cache that fails (or misses its `boundedCache` deadline) means no
 *   coalescing: the computation runs as if alone.
 * - An owner that dies holding the lease makes waiters wait until the lease
 *   expires or their deadline passes, then compute themselves.
 *
 * Within one process an {@link InFlight} sits in front, so a process makes
 * at most one lease attempt per key at a time.
 */
export class SharedInFlight<T> {
  private readonly local = new InFlight<Shared<T>>();
  private readonly owner = randomUUID();
  private readonly leasePrefix: string;
  private readonly leaseTtlMs: number;
  private readonly poll: { initial: number; max: number };
  private readonly settleMs: number;

  constructor(private readonly options: SharedInFlightOptions) {
    this.leasePrefix = options.leasePrefix ?? 'kubecopilot:llm-lease:';
    this.leaseTtlMs = options.deadlineMs + (options.leaseMarginMs ?? 2_000);
    this.poll = options.pollMs ?? { initial: 100, max: 500 };
    this.settleMs = options.settleMs ?? 20;
  }

  /** In-flight keys of this process. */
  get size(): number {
    return this.local.size;
  }

  run(key: string, compute: () => Promise<Computed<T>>): Promise<Shared<T>> {
    return this.local.run(key, () => this.coalesce(key, compute));
  }

  private async coalesce(
    key: string,
    compute: () => Promise<Computed<T>>,
  ): Promise<Shared<T>> {
    const answerKey = `${this.options.answerPrefix}${key}`;
    const leaseKey = `${this.leasePrefix}${key}`;

    const cached = await this.read<T>(answerKey, 'answer');
    if (cached.ok && cached.value !== undefined) {
      return { value: cached.value, cached: true };
    }
    // A cache that does not answer: no coalescing, and no more waiting on it.
    if (!cached.ok) return this.computeAlone(answerKey, compute, false);

    const lease = await this.acquire(leaseKey);
    if (lease === 'owned') {
      try {
        return await this.computeAlone(answerKey, compute, true);
      } finally {
        await this.release(leaseKey);
      }
    }
    if (lease === 'held') {
      const answer = await this.waitFor(answerKey, leaseKey);
      if (answer !== undefined) return { value: answer, cached: true };
    }
    return this.computeAlone(answerKey, compute, lease !== 'unavailable');
  }

  private async computeAlone(
    answerKey: string,
    compute: () => Promise<Computed<T>>,
    cacheWorks: boolean,
  ): Promise<Shared<T>> {
    const { value, share } = await compute();
    if (share && cacheWorks) await this.write(answerKey, value);
    return { value, cached: false };
  }

  /** Takes the lease if no one holds it; `unavailable` when the cache fails. */
  private async acquire(
    leaseKey: string,
  ): Promise<'owned' | 'held' | 'unavailable'> {
    const { cache } = this.options;
    try {
      if ((await cache.get(leaseKey)) !== undefined) return 'held';
      await cache.set(leaseKey, this.owner, { ttl: this.leaseTtlMs });
      if (this.settleMs > 0) await sleep(this.settleMs);
      return (await cache.get(leaseKey)) === this.owner ? 'owned' : 'held';
    } catch (error) {
      this.options.logger?.warn(
        `Coalescing lease unavailable, computing without it: ${error}`,
      );
      return 'unavailable';
    }
  }

  private async release(leaseKey: string): Promise<void> {
    const { cache } = this.options;
    try {
      // Only our own: after a stall past its TTL, it may be someone else's.
      if ((await cache.get(leaseKey)) === this.owner) {
        await cache.delete(leaseKey);
      }
    } catch (error) {
      // It expires on its own; waiters stop at their deadline meanwhile.
      this.options.logger?.warn(`Coalescing lease release failed: ${error}`);
    }
  }

  /**
   * The owner's answer, once it is in the cache; undefined when the lease
   * vanishes without one, the cache fails, or `deadlineMs` passes.
   */
  private async waitFor(
    answerKey: string,
    leaseKey: string,
  ): Promise<T | undefined> {
    const deadline = Date.now() + this.options.deadlineMs;
    let pause = this.poll.initial;
    for (;;) {
      const left = deadline - Date.now();
      await sleep(Math.min(pause, left));
      pause = Math.min(pause * 2, this.poll.max);
      // The lease first: the owner writes the answer before deleting it, so
      // "no lease" followed by "no answer" means there will be none.
      const lease = await this.read<string>(leaseKey, 'lease');
      const answer = await this.read<T>(answerKey, 'answer');
      if (answer.ok && answer.value !== undefined) return answer.value;
      if (!lease.ok || !answer.ok) return undefined;
      if (lease.value === undefined) return undefined;
      if (Date.now() >= deadline) {
        this.options.logger?.info(
          `No shared answer within ${this.options.deadlineMs} ms; computing without waiting longer`,
        );
        return undefined;
      }
    }
  }

  private async read<V>(key: string, what: string): Promise<Read<V>> {
    try {
      return { ok: true, value: (await this.options.cache.get(key)) as V };
    } catch (error) {
      this.options.logger?.warn(
        `Diagnosis cache ${what} read failed: ${error}`,
      );
      return { ok: false };
    }
  }

  private async write(key: string, value: T): Promise<void> {
    try {
      // JSON round trip: the cache stores JSON and undefined keys are noise.
      await this.options.cache.set(key, JSON.parse(JSON.stringify(value)), {
        ttl: this.options.answerTtlMs,
      });
    } catch (error) {
      this.options.logger?.warn(`Diagnosis cache write failed: ${error}`);
    }
  }
}
