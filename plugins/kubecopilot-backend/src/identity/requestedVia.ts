import { AsyncLocalStorage } from 'node:async_hooks';
import type { PlanRequestedVia } from '@kubecopilot/backstage-plugin-kubecopilot-common';

const storage = new AsyncLocalStorage<PlanRequestedVia>();

/**
 * Runs `fn` as a request that reached KubeCopilot through an AI agent: every
 * plan drafted below it (also after `await`s, whichever drafting path —
 * single change or canary — takes it) records `via` as its `requestedVia`.
 * Set by the actions registry's handlers, so no drafting path can forget
 * to say an agent drafted the plan.
 */
export function runRequestedVia<T>(via: PlanRequestedVia, fn: () => T): T {
  return storage.run(via, fn);
}

/** The agent channel set by the nearest {@link runRequestedVia}, if any. */
export function currentRequestedVia(): PlanRequestedVia | undefined {
  return storage.getStore();
}
