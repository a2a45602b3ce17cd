import { ConflictError, InputError } from '@backstage/errors';
import {
  PlanAction,
  ResourceRef,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { KubernetesWriteRequest } from '../kubernetes/types';
import { objectPath } from './kinds';
import {
  DEFAULT_MAX_REPLICAS,
  parseRequestParams,
  UpdateParams,
} from './params';
import { checkReplicas, replicasOf } from './replicas';
import { buildUpdate, isUpdateApplied, updateWrite } from './update';
import {
  buildRollback,
  isRollbackApplied,
  Revision,
  rollbackForward,
  RollbackTarget,
  rollbackTarget,
  rollbackWrite,
} from './rollback';

import type { KubeObject } from '../kubernetes/types';

export type { KubeObject };

export { replicasOf };

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

export interface ChangeOptions {
  now: Date;
  maxReplicas?: number;
  /** The workload's revisions, read for a `rollback`. */
  revisions?: Revision[];
}

/**
 * One change to one object: what the plan stores as `params` (the typed
 * target values and the values they replace, so a revert is exact too) and
 * the desired object. Risk, the review diff and the write all derive from
 * this — whatever the action was called or whoever asked for it.
 */
export interface Change {
  action: PlanAction;
  params: Record<string, unknown>;
  after: KubeObject | null;
}

/**
 * The forward part of a change, as typed values: for `restart` the
 * annotation value to set (null removes it), for `scale` the replica count,
 * for `update` the whitelisted fields.
 */
export type ChangeTarget =
  | { action: 'restart'; restartedAt: string | null }
  | { action: 'scale'; replicas: number }
  | { action: 'update'; update: UpdateParams }
  | { action: 'delete' }
  | RollbackTarget;

/**
 * Turns a request (a person, the prompt bar, a diagnosis recommendation, a
 * model) into a change of the live object. Parameters are validated for
 * every action alike: `replicas` is a whole number from 0 to the configured
 * maximum whether it comes through `scale` or `update`.
 */
export function draftChange(
  action: PlanAction,
  live: KubeObject,
  requestParams: Record<string, unknown>,
  options: ChangeOptions,
): Change {
  const maxReplicas = options.maxReplicas ?? DEFAULT_MAX_REPLICAS;
  const params = parseRequestParams(action, requestParams, maxReplicas);
  switch (action) {
    case 'restart':
      if (live.spec?.paused) {
        throw new InputError(
          `${live.kind} ${live.metadata?.name} is paused; a restart would not roll out until it is resumed`,
        );
      }
      return buildChange(
        live,
        { action, restartedAt: options.now.toISOString() },
        options,
      );
    case 'scale': {
      const current = replicasOf(live);
      const replicas =
        typeof params.replicas === 'number'
          ? params.replicas
          : current + (params.delta as number);
      if (replicas < 0 || replicas > maxReplicas) {
        throw new InputError(
          `cannot scale to ${replicas} replicas; the allowed range is 0 to ${maxReplicas}`,
        );
      }
      if (replicas === current) {
        throw new InputError(
          `${live.kind} ${live.metadata?.name} already has ${current} replicas`,
        );
      }
      return buildChange(live, { action, replicas }, options);
    }
    case 'update': {
      const change = buildChange(
        live,
        { action, update: params as UpdateParams },
        options,
      );
      if (JSON.stringify(live.spec) === JSON.stringify(change.after?.spec)) {
        throw new InputError('the update changes nothing');
      }
      return change;
    }
    case 'delete':
      return buildChange(live, { action }, options);
    case 'rollback':
      return buildRollback(
        live,
        rollbackTarget(live, params, options.revisions ?? []),
      );
    default:
      throw new InputError(`KubeCopilot cannot ${action} objects`);
  }
}

/**
 * Applies a typed target to the live object: the desired object, and the
 * params to store — the target plus the live values it replaces.
 */
export function buildChange(
  live: KubeObject,
  target: ChangeTarget,
  options: { maxReplicas?: number } = {},
): Change {
  const after = structuredClone(live);
  switch (target.action) {
    case 'restart': {
      const previous =
        live.spec?.template?.metadata?.annotations?.[RESTARTED_AT] ?? null;
      after.spec ??= {};
      after.spec.template ??= {};
      after.spec.template.metadata ??= {};
      const annotations = {
        ...(after.spec.template.metadata.annotations ?? {}),
      };
      if (target.restartedAt === null) delete annotations[RESTARTED_AT];
      else annotations[RESTARTED_AT] = target.restartedAt;
      after.spec.template.metadata.annotations = annotations;
      return {
        action: 'restart',
        after,
        params: {
          restartedAt: target.restartedAt,
          previousRestartedAt: previous,
        },
      };
    }
    case 'scale': {
      checkReplicas(target.replicas, options.maxReplicas);
      after.spec ??= {};
      after.spec.replicas = target.replicas;
      return {
        action: 'scale',
        after,
        params: {
          replicas: target.replicas,
          previousReplicas: replicasOf(live),
        },
      };
    }
    case 'delete':
      return { action: 'delete', after: null, params: {} };
    case 'rollback':
      return buildRollback(live, target);
    case 'update':
      return buildUpdate(live, after, target.update, options.maxReplicas);
    default:
      throw new InputError(
        `KubeCopilot cannot ${(target as { action: string }).action} objects`,
      );
  }
}

/**
 * The target that undoes a stored change: the values it replaced. A revert
 * is a change like any other, computed against the object as it is then.
 */
export function inverseTarget(
  action: PlanAction,
  params: Record<string, unknown>,
): ChangeTarget {
  switch (action) {
    case 'restart':
      return {
        action,
        restartedAt: (params.previousRestartedAt as string | null) ?? null,
      };
    case 'scale':
      if (typeof params.previousReplicas !== 'number') break;
      return { action, replicas: params.previousReplicas };
    case 'update':
      if (!params.previous) break;
      return { action, update: params.previous as UpdateParams };
    case 'rollback':
      if (!params.previousTemplate) break;
      return { action, template: params.previousTemplate as KubeObject };
    case 'delete':
      throw new ConflictError(
        'A delete cannot be reverted: the object is gone, and its controller re-creates controlled pods',
      );
    default:
      break;
  }
  throw new ConflictError(
    `this ${action} plan does not record the values it replaced (it was made by an older KubeCopilot), so it cannot be reverted exactly; make a new plan instead`,
  );
}

/** The forward target of stored params (what execution writes). */
export function forwardTarget(
  action: PlanAction,
  params: Record<string, unknown>,
): ChangeTarget {
  switch (action) {
    case 'restart':
      return {
        action,
        restartedAt: (params.restartedAt as string | null) ?? null,
      };
    case 'scale':
      return { action, replicas: params.replicas as number };
    case 'update': {
      const { previous: _previous, ...update } = params;
      return { action, update: update as UpdateParams };
    }
    case 'delete':
      return { action };
    case 'rollback':
      return rollbackForward(params);
    default:
      throw new InputError(`KubeCopilot cannot ${action} objects`);
  }
}

/**
 * The single write that applies a target to the live object, computed from
 * the live object and the typed values at the time of writing — never from
 * a stored (redacted) snapshot. Patches carry only the fields the change
 * owns, plus the resourceVersion precondition.
 */
export function writeFor(
  resource: ResourceRef,
  target: ChangeTarget,
  live: KubeObject,
): Omit<KubernetesWriteRequest, 'dryRun'> {
  const path = objectPath(resource);
  const resourceVersion = live.metadata?.resourceVersion;
  const base = { cluster: resource.cluster, resourceVersion };
  switch (target.action) {
    case 'restart':
      return {
        ...base,
        path,
        method: 'PATCH',
        patchType: 'strategic-merge',
        body: {
          spec: {
            template: {
              metadata: { annotations: { [RESTARTED_AT]: target.restartedAt } },
            },
          },
        },
      };
    case 'rollback':
      return rollbackWrite(base, path, target);
    case 'scale':
      return {
        ...base,
        path: `${path}/scale`,
        method: 'PATCH',
        patchType: 'merge',
        body: { spec: { replicas: target.replicas } },
      };
    case 'delete':
      return {
        cluster: resource.cluster,
        path,
        method: 'DELETE',
        body: {
          kind: 'DeleteOptions',
          apiVersion: 'v1',
          preconditions: { uid: live.metadata?.uid, resourceVersion },
        },
      };
    case 'update':
      // Validates the target against the object as it is now.
      buildChange(live, target);
      return updateWrite(base, path, target.update, live);
    default:
      throw new InputError('unknown change');
  }
}

/**
 * Whether the object carries the target's values exactly (on the unredacted
 * object): used when a write's outcome is unknown and by crash recovery.
 */
export function isTargetApplied(
  target: ChangeTarget,
  live: KubeObject | null,
  uidBefore?: string,
): boolean {
  if (target.action === 'delete') {
    return (
      live === null ||
      live.metadata?.deletionTimestamp !== undefined ||
      (uidBefore !== undefined && live.metadata?.uid !== uidBefore)
    );
  }
  if (!live) return false;
  switch (target.action) {
    case 'restart':
      return (
        (live.spec?.template?.metadata?.annotations?.[RESTARTED_AT] ?? null) ===
        target.restartedAt
      );
    case 'scale':
      return replicasOf(live) === target.replicas;
    case 'rollback':
      return isRollbackApplied(target, live);
    case 'update':
      return isUpdateApplied(target.update, live);
    default:
      return false;
  }
}
