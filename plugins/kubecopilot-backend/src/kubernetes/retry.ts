/** How idempotent reads are retried. Writes are never retried. */
export interface ReadRetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A longer Retry-After is not waited for: the read fails instead. */
  maxRetryAfterMs: number;
}

export const defaultReadRetryPolicy: ReadRetryPolicy = {
  retries: 2,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  maxRetryAfterMs: 5_000,
};

/** Throttled, or a server or proxy failure that may well pass. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 504);
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date), if present. */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (!value) {
    return undefined;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim()) * 1000;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Delay before retry number `attempt` (0-based): the server's Retry-After if
 * it gave one, else exponential backoff with full jitter so that many
 * readers do not retry in step. `undefined` means do not retry.
 */
export function retryDelayMs(
  attempt: number,
  policy: ReadRetryPolicy,
  retryAfter?: number,
  random: () => number = Math.random,
): number | undefined {
  if (attempt >= policy.retries) {
    return undefined;
  }
  if (retryAfter !== undefined) {
    return retryAfter <= policy.maxRetryAfterMs ? retryAfter : undefined;
  }
  const ceiling = Math.min(
    policy.maxDelayMs,
    policy.baseDelayMs * 2 ** attempt,
  );
  return Math.round(random() * ceiling);
}
