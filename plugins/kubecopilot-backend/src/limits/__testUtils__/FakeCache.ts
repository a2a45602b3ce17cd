import { CacheService } from '@backstage/backend-plugin-api';

type JsonValue = Parameters<CacheService['set']>[1];

/**
 * A CacheService whose entries expire on the given clock, so that tests can
 * move time instead of waiting. `fail` makes every call reject.
 */
export class FakeCache implements CacheService {
  readonly entries = new Map<string, { value: JsonValue; expiresAt: number }>();
  fail = false;

  constructor(private readonly now: () => number) {}

  async get<TValue extends JsonValue>(key: string): Promise<TValue | undefined> {
    if (this.fail) throw new Error('cache unavailable');
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    return entry.value as TValue;
  }

  async set(
    key: string,
    value: JsonValue,
    options?: { ttl?: unknown },
  ): Promise<void> {
    if (this.fail) throw new Error('cache unavailable');
    const ttl = typeof options?.ttl === 'number' ? options.ttl : Infinity;
    this.entries.set(key, { value, expiresAt: this.now() + ttl });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  withOptions(): CacheService {
    return this;
  }
}
