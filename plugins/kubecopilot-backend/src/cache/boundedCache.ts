import { CacheService, CacheServiceOptions } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';

/** Default deadline of one cache operation. */
export const DEFAULT_CACHE_TIMEOUT_MS = 250;

/**
 * The cache service with a deadline on every operation. A shared store
 * (Redis, Valkey, memcache) that goes away makes its client queue commands
 * while it reconnects, so a plain `get` would wait for as long as the outage
 * lasts; here it fails after `timeoutMs` instead, and the callers (the
 * diagnosis cache, the rate limiter) treat a failure as a miss and go on.
 */
export function boundedCache(
  cache: CacheService,
  timeoutMs: number = DEFAULT_CACHE_TIMEOUT_MS,
): CacheService {
  const within = <T>(what: string, operation: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ServiceUnavailableError(
              `cache ${what} did not answer within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
    });
    // A late answer (or failure) of the abandoned operation is ignored.
    operation.catch(() => {});
    return Promise.race([operation, deadline]).finally(() =>
      clearTimeout(timer),
    );
  };
  return {
    get: key => within('get', cache.get(key)),
    set: (key, value, options) => within('set', cache.set(key, value, options)),
    delete: key => within('delete', cache.delete(key)),
    withOptions: (options: CacheServiceOptions) =>
      boundedCache(cache.withOptions(options), timeoutMs),
  };
}
