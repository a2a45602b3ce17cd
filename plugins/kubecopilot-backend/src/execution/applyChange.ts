import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  PlanExecution,
  ResourceRef,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  KubernetesBackendClient,
  KubernetesWriteRequest,
} from '../kubernetes/types';
import { forStorage } from '../changes/forStorage';
import { objectPath } from '../changes/kinds';

import type { KubeObject } from '../kubernetes/types';

export type { KubeObject };

export type ApplyOutcome =
  | { ok: true; execution: Partial<PlanExecution>; object?: KubeObject }
  | { ok: false; error: Error; execution: Partial<PlanExecution> };

/**
 * One guarded write, the way every plan and every step of a plan writes:
 * re-read the object, abort if it drifted, dry-run, then write once with the
 * preconditions the write carries. A write is never retried; when its
 * outcome is unknown (timeout, lost connection) the object is re-read and
 * `isApplied` says whether the change is in place.
 */
export async function applyChange(
  kubernetes: KubernetesBackendClient,
  change: GuardedChange,
): Promise<ApplyOutcome> {
  const prepared = await prepareWrite(kubernetes, change);
  if ('outcome' in prepared) return prepared.outcome;
  const refused = await dryRun(kubernetes, prepared.write);
  if (refused) return refused;
  return writeOnce(kubernetes, change, prepared.write);
}

/** What `applyChange` needs to know about one change. */
export type GuardedChange = {
  resource: ResourceRef;
  credentials: BackstageCredentials;
  /**
   * What moved since the plan was made; empty = go on. `live` is redacted
   * (as the plan shows objects), `raw` is the object as it is.
   */
  checkDrift: (live: KubeObject | null, raw: KubeObject | null) => string[];
  /** The write, from the live (unredacted) object. May throw InputError. */
  write: (live: KubeObject | null) => Omit<KubernetesWriteRequest, 'dryRun'>;
  /** Whether the object (redacted; and as it is) shows the change in place. */
  isApplied: (live: KubeObject | null, raw: KubeObject | null) => boolean;
  /**
   * Whether the change is there already (e.g. a delete of an object that is
   * gone): then nothing is written and the change counts as applied.
   */
  alreadyApplied?: (live: KubeObject | null) => boolean;
};

type Write = Omit<KubernetesWriteRequest, 'dryRun'>;

function failed(
  error: Error,
  execution: Partial<PlanExecution>,
): { outcome: ApplyOutcome } {
  return { outcome: { ok: false, error, execution } };
}

/**
 * Re-read the object and decide: already in place, drifted, or the write to
 * make (computed from the live object).
 */
async function prepareWrite(
  kubernetes: KubernetesBackendClient,
  change: GuardedChange,
): Promise<{ outcome: ApplyOutcome } | { write: Write }> {
  const { resource } = change;
  let live: KubeObject | null;
  try {
    live = await readObject(kubernetes, resource, change.credentials);
  } catch (error) {
    return failed(error as Error, {
      outcome: 'failed',
      message: `could not re-read the object: ${(error as Error).message}`,
    });
  }
  const shown = live ? forStorage(live) : null;
  if (change.alreadyApplied?.(shown)) {
    return {
      outcome: {
        ok: true,
        execution: {
          outcome: 'applied',
          message: `${resource.kind} ${resource.name} is already as wanted; nothing was written`,
        },
      },
    };
  }
  const drift = change.checkDrift(shown, live);
  if (drift.length > 0) {
    const message = `${resource.kind} ${
      resource.name
    } changed since the plan was made (${drift.join(
      ', ',
    )}); nothing was written`;
    return failed(new ConflictError(message), {
      outcome: 'failed',
      drift,
      message,
    });
  }
  try {
    return { write: change.write(live) };
  } catch (error) {
    return failed(error as Error, {
      outcome: 'failed',
      message: (error as Error).message,
    });
  }
}

/** The server-side dry run; an outcome when it refuses, else undefined. */
async function dryRun(
  kubernetes: KubernetesBackendClient,
  write: Write,
): Promise<ApplyOutcome | undefined> {
  try {
    await kubernetes.write({ ...write, dryRun: true });
    return undefined;
  } catch (error) {
    const message = `the server-side dry run refused the change: ${
      (error as Error).message
    }; nothing was written`;
    return failed(rewrap(error as Error, message), {
      dryRun: 'failed',
      outcome: 'failed',
      message,
    }).outcome;
  }
}

/** The one write. Never retried; an unknown outcome is reported as such. */
async function writeOnce(
  kubernetes: KubernetesBackendClient,
  change: GuardedChange,
  write: Write,
): Promise<ApplyOutcome> {
  try {
    const result = await kubernetes.write<KubeObject>(write);
    return {
      ok: true,
      object: result && typeof result === 'object' ? result : undefined,
      execution: {
        dryRun: 'passed',
        outcome: 'applied',
        message: `${write.method} ${write.path} applied`,
        ...(result?.metadata?.resourceVersion
          ? { resourceVersion: String(result.metadata.resourceVersion) }
          : {}),
      },
    };
  } catch (error) {
    if (
      error instanceof ConflictError ||
      error instanceof InputError ||
      error instanceof NotAllowedError ||
      error instanceof NotFoundError
    ) {
      const message = `the write was refused: ${error.message}; nothing was written`;
      return failed(rewrap(error, message), {
        dryRun: 'passed',
        outcome: 'failed',
        message,
      }).outcome;
    }
    // Timeout or lost connection: the write may or may not have happened.
    // Never retry it; report what the object looks like now.
    const message = `the write's outcome is unknown (${
      (error as Error).message
    }); it was not retried; ${await describeNow(kubernetes, change)}`;
    return failed(new ServiceUnavailableError(message), {
      dryRun: 'passed',
      outcome: 'unknown',
      message,
    }).outcome;
  }
}

/** After a write of unknown outcome: is the change in place? */
async function describeNow(
  kubernetes: KubernetesBackendClient,
  change: GuardedChange,
): Promise<string> {
  try {
    const after = await readObject(
      kubernetes,
      change.resource,
      change.credentials,
    );
    return `re-read: ${
      after
        ? `resourceVersion ${after.metadata?.resourceVersion}`
        : 'the object does not exist'
    }, ${
      change.isApplied(after ? forStorage(after) : null, after)
        ? 'the change IS in place'
        : 'the change is NOT in place'
    }`;
  } catch {
    return 'the object could not be re-read';
  }
}

/** The live object (as it is, unredacted), or null when it does not exist. */
export async function readObject(
  kubernetes: KubernetesBackendClient,
  resource: ResourceRef,
  credentials: BackstageCredentials,
): Promise<KubeObject | null> {
  try {
    return await kubernetes.read<KubeObject>({
      cluster: resource.cluster,
      path: objectPath(resource),
      credentials,
    });
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

/** The same kind of error with a message that says what happened. */
export function rewrap(error: Error, message: string): Error {
  const Type = [ConflictError, InputError, NotAllowedError, NotFoundError].find(
    t => error instanceof t,
  );
  return Type ? new Type(message) : new ServiceUnavailableError(message);
}
