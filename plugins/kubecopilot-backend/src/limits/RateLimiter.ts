import { CacheService } from '@backstage/backend-plugin-api';
import { createHash } from 'node:crypto';

/** The outcome of one request against a {@link CacheRateLimiter}. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  windowSeconds: number;
  /** Further requests the caller may make right now. */
  remaining: number;
  /** When refused: whole seconds until a request would be allowed (≥ 1). */
  retryAfterSeconds?: number;
}

export interface CacheRateLimiterOptions {
  cache: CacheService;
  /** The route class, part of every key: each class has its own budget. */
  name: string;
  /** Requests one caller may make per window. */
  limit: number;
  windowSeconds: number;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
}

const KEY_PREFIX = 'ratelimit:v1';

/**
 * A per-caller request limit on top of Backstage's {@link CacheService}.
 *
 * Sliding window of two fixed buckets (the current and the previous window
 * of `windowSeconds`): the request count of the last window is estimated as
 * `previous × (1 − elapsed / window) + current`, which avoids the double burst
 * a plain fixed window allows at its boundary. Refused requests are not
 * counted, so retrying after a 429 does not push the reset further out.
 *
 * Where the counts live decides its reach: with `backend.cache.store` set to
 * Redis, Valkey or memcache the counts are shared and the limit holds across
 * replicas; with the default memory store every replica counts on its own
 * (N replicas allow up to N × limit).
 *
 * The cache service has no atomic increment, so a count is read and written
 * back. Concurrent requests of one caller can read the same count and write
 * the same successor: under such races the limit is approximate and errs on
 * the permissive side (a burst of k simultaneous requests may be counted as
 * fewer than k). It is a guard against runaway clients and LLM cost, not an
 * exact quota.
 */
export class CacheRateLimiter {
  readonly limit: number;
  readonly windowSeconds: number;
  readonly #cache: CacheService;
  readonly #name: string;
  readonly #now: () => number;

  constructor(options: CacheRateLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new TypeError(`rate limit '${options.name}': limit must be a positive integer`);
    }
    if (!Number.isInteger(options.windowSeconds) || options.windowSeconds < 1) {
      throw new TypeError(
        `rate limit '${options.name}': windowSeconds must be a positive integer`,
      );
    }
    this.#cache = options.cache;
    this.#name = options.name;
    this.limit = options.limit;
    this.windowSeconds = options.windowSeconds;
    this.#now = options.now ?? Date.now;
  }

  /** Counts one request of `caller` if it is within the limit. */
  async hit(caller: string): Promise<RateLimitDecision> {
    const windowMs = this.windowSeconds * 1000;
    const now = this.#now();
    const index = Math.floor(now / windowMs);
    const elapsed = now - index * windowMs;
    const who = callerKey(caller);
    const currentKey = `${KEY_PREFIX}:${this.#name}:${index}:${who}`;
    const [previous, current] = await Promise.all([
      this.#cache.get(`${KEY_PREFIX}:${this.#name}:${index - 1}:${who}`),
      this.#cache.get(currentKey),
    ]);
    const p = count(previous);
    const c = count(current);
    const estimate = p * (1 - elapsed / windowMs) + c;
    const base = { limit: this.limit, windowSeconds: this.windowSeconds };

    if (estimate >= this.limit) {
      return {
        ...base,
        allowed: false,
        remaining: 0,
        retryAfterSeconds: retryAfterSeconds(p, c, this.limit, elapsed, windowMs),
      };
    }
    // The bucket is read as "previous" during the next window too.
    await this.#cache.set(currentKey, c + 1, {
      ttl: 2 * windowMs - elapsed + 1_000,
    });
    return {
      ...base,
      allowed: true,
      remaining: Math.max(0, Math.ceil(this.limit - estimate - 1)),
    };
  }
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? value
    : 0;
}

/**
 * Seconds until the estimate drops below the limit, if nobody else counts
 * meanwhile: within this window when the previous bucket's share is what is
 * over, else into the next window, where this window's count is the share
 * that decays.
 */
function retryAfterSeconds(
  previous: number,
  current: number,
  limit: number,
  elapsed: number,
  windowMs: number,
): number {
  const waitMs =
    current < limit
      ? windowMs * (1 - (limit - current) / previous) - elapsed
      : windowMs - elapsed + windowMs * (1 - limit / current);
  // Strictly past the point where the estimate equals the limit.
  return Math.max(1, Math.floor(waitMs / 1000) + 1);
}

/**
 * The caller's part of the key: readable when short, hashed when long (a
 * memcache key may not exceed 250 bytes) or when it holds characters some
 * stores reject.
 */
function callerKey(caller: string): string {
  const lower = caller.toLocaleLowerCase('en-US');
  if (lower.length <= 128 && /^[\x21-\x7e]+$/.test(lower)) return lower;
  return `sha256-${createHash('sha256').update(lower).digest('hex')}`;
}
