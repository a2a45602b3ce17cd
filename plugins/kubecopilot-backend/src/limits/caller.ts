import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<string>();

/**
 * Runs `fn` on behalf of `caller`: LLM calls made anywhere below it (also
 * after `await`s) are charged to that caller's daily token budget. The rate
 * limit middleware sets it for the LLM-backed routes, so the services need no
 * extra parameter to be charged correctly.
 */
export function runAsCaller<T>(caller: string, fn: () => T): T {
  return storage.run(caller, fn);
}

/** The caller set by the nearest {@link runAsCaller}, if any. */
export function currentCaller(): string | undefined {
  return storage.getStore();
}
