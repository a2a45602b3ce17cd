import { CacheService } from '@backstage/backend-plugin-api';
import { boundedCache } from './boundedCache';

describe('boundedCache', () => {
  const hanging: CacheService = {
    get: () => new Promise(() => {}),
    set: () => new Promise(() => {}),
    delete: () => new Promise(() => {}),
    withOptions: () => hanging,
  };

  it('passes answers of a working store through', async () => {
    const real = boundedCache(
      (() => {
        const store = new Map<string, any>();
        const c: CacheService = {
          get: async k => store.get(k),
          set: async (k, v) => {
            store.set(k, v);
          },
          delete: async k => {
            store.delete(k);
          },
          withOptions: () => c,
        };
        return c;
      })(),
    );
    await real.set('k', { a: 1 });
    await expect(real.get('k')).resolves.toEqual({ a: 1 });
    await real.delete('k');
    await expect(real.get('k')).resolves.toBeUndefined();
  });

  it.each(['get', 'set', 'delete'] as const)(
    'fails a %s that hangs (a store reconnecting) after the deadline instead of waiting',
    async op => {
      const cache = boundedCache(hanging, 50).withOptions({ defaultTtl: 1000 });
      const started = Date.now();
      const call =
        op === 'set' ? cache.set('k', 1) : (cache[op] as (k: string) => Promise<unknown>)('k');
      await expect(call).rejects.toThrow(`cache ${op} did not answer within 50 ms`);
      expect(Date.now() - started).toBeLessThan(1_000);
    },
  );
});
