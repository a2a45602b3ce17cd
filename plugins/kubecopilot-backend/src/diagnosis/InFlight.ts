/**
 * Shares one running computation among identical concurrent requests: the
 * first caller of a key starts it, later callers of the same key get the same
 * promise until it settles. Nothing is kept afterwards (that is the cache's
 * job), so a failure is not replayed to the next request.
 */
export class InFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, start: () => Promise<T>): Promise<T> {
    const existing = this.running.get(key);
    if (existing) return existing;
    const promise = start().finally(() => {
      this.running.delete(key);
    });
    this.running.set(key, promise);
    return promise;
  }

  get size(): number {
    return this.running.size;
  }
}
