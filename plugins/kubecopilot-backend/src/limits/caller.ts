import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who a request is made by, for limits: the user entity ref of a user
 * principal, else the subject of a service principal (`plugin:scaffolder`,
 * `external:ci`). Undefined for anything else.
 */
export function callerOf(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return principal.subject;
  }
  return undefined;
}

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
