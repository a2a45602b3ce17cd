/**
 * Runs the gatherer's Kubernetes calls: each with its own deadline, at most
 * `concurrency` at a time, and timed so a diagnosis can tell how long the
 * slowest call took compared with the whole gather.
 */
export class DeadlineExceededError extends Error {
  name = 'DeadlineExceededError';
}

export interface CallStats {
  /** Calls made (each attempt the client retries counts once here). */
  calls: number;
  failedCalls: number;
  /** Latency of the slowest single call, in milliseconds. */
  slowestCallMs: number;
}

export class CallRunner {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  readonly stats: CallStats = { calls: 0, failedCalls: 0, slowestCallMs: 0 };

  constructor(
    private readonly options: { timeoutMs: number; concurrency: number },
  ) {}

  /**
   * Runs `fn` with a deadline. The client below has deadlines of its own;
   * this one bounds the call as the gatherer sees it, retries included, so a
   * slow cluster costs at most `timeoutMs` per wave. A call that misses it is
   * abandoned, never awaited: `fn`'s signal aborts, so a client that honours
   * it stops retrying too.
   */
  async run<T>(
    description: string,
    fn: (signal: AbortSignal) => Promise<T>,
    timeoutMs: number = this.options.timeoutMs,
  ): Promise<T> {
    await this.acquire();
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const abandon = new AbortController();
    try {
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new DeadlineExceededError(
            `${description} did not answer within ${timeoutMs} ms`,
          );
          abandon.abort(error);
          reject(error);
        }, timeoutMs);
      });
      const call = fn(abandon.signal);
      // The abandoned call's late failure is expected; do not report it.
      call.catch(() => {});
      return await Promise.race([call, deadline]);
    } catch (error) {
      this.stats.failedCalls += 1;
      throw error;
    } finally {
      clearTimeout(timer);
      this.stats.calls += 1;
      this.stats.slowestCallMs = Math.max(
        this.stats.slowestCallMs,
        performance.now() - started,
      );
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.options.concurrency) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise(resolve => this.queue.push(resolve));
  }

  private release() {
    const next = this.queue.shift();
    if (next) next();
    else this.active -= 1;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
