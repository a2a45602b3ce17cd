import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  CustomErrorBase,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  kubecopilotPlanExecutePermission,
  OperationPlan,
  PlanExecution,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { forwardTarget } from '../changes/change';
import { driftSince } from '../changes/snapshot';
import { actorOf } from '../identity/actor';
import { nextStatus } from '../plans/lifecycle';
import { recordChange } from '../plans/recordChange';
import { StoredPlan } from '../plans/types';
import { PlanChanges } from './PlanChanges';

/** What an idempotent execute stores, to replay on a repeated key. */
type ExecutionRecord =
  | { plan: OperationPlan }
  | { error: { name: string; message: string } };

/**
 * Executes approved plans, deterministically and exactly once: claim the
 * plan (optimistic lock: `confirmed → executing`, one winner across requests
 * and replicas), re-read the object and abort on drift, dry-run, then write
 * once with a resourceVersion precondition. A write is never retried; a
 * write whose outcome is unknown fails the plan with the object as it was
 * re-read. Multi-step plans are claimed here and run by the StepRunner.
 */
export class PlanExecutor {
  constructor(private readonly changes: PlanChanges) {}

  async execute(
    id: string,
    input: { idempotencyKey?: string },
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<OperationPlan> {
    const { store, access } = this.changes.options;
    const stored = await access.loadAuthorized(
      id,
      kubecopilotPlanExecutePermission,
      credentials,
      `execute plan '${id}'`,
    );
    const actor = actorOf(credentials);

    if (input.idempotencyKey) {
      const replay = await store.getExecutionReplay(id);
      if (replay?.idempotencyKey === input.idempotencyKey) {
        return replayResult(replay.result as ExecutionRecord);
      }
    }
    const { plan } = stored;
    const claimed = await this.claim(plan, actor, input.idempotencyKey);

    if (claimed.steps) {
      // Steps run one by one in the background (gates take minutes); the
      // plan's status and steps show the progress.
      await this.changes.options.notifier.planChanged(claimed, stored.ownerRef);
      this.changes.steps().start(id);
      return claimed;
    }

    const saved = await this.writeAndSettle(
      stored,
      claimed,
      actor,
      credentials,
      input.idempotencyKey,
    );
    await this.changes.markOriginalReverted(saved, actor);
    return saved;
  }

  /**
   * `confirmed → executing`, with one winner across requests and replicas
   * (optimistic lock on the plan's revision).
   */
  private async claim(
    plan: OperationPlan,
    actor: string,
    idempotencyKey: string | undefined,
  ): Promise<OperationPlan> {
    const id = plan.id;
    const input = { idempotencyKey };
    const { store } = this.changes.options;
    if (plan.status === 'executing') {
      throw new ConflictError(`Plan '${id}' is being executed right now`);
    }
    const status = nextStatus(plan.status, 'start-execution');
    const execution: PlanExecution = {
      by: actor,
      startedAt: this.changes.now().toISOString(),
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
    };
    return recordChange(
      store,
      this.changes.options.audit,
      {
        plan: {
          ...plan,
          status,
          execution,
          audit: { ...plan.audit, executedBy: actor },
        },
        expectedRevision: plan.revision,
        idempotencyKey: input.idempotencyKey ?? undefined,
        // A multi-step plan answers as soon as it is claimed; a repeated key
        // replays that answer.
        ...(plan.steps && input.idempotencyKey
          ? {
              executionResult: {
                plan: {
                  ...plan,
                  status,
                  execution,
                  audit: { ...plan.audit, executedBy: actor },
                  revision: plan.revision + 1,
                },
              },
            }
          : {}),
      },
      {
        planId: id,
        entityRef: plan.entityRef,
        actor,
        action: 'plan.execution-started',
        before: plan.diff.before,
        payload: input.idempotencyKey
          ? { idempotencyKey: input.idempotencyKey }
          : {},
      },
    );
  }

  /** The one guarded write of a single-step plan, then its outcome saved. */
  private async writeAndSettle(
    stored: StoredPlan,
    claimed: OperationPlan,
    actor: string,
    credentials: BackstageCredentials,
    idempotencyKey: string | undefined,
  ): Promise<OperationPlan> {
    const plan = stored.plan;
    const execution = claimed.execution!;
    const input = { idempotencyKey };
    // The write is computed from the live object and the plan's typed
    // params now, never from the stored (redacted) diff; drift is judged
    // against the unredacted snapshot the reviewer's diff was made from.
    const outcome = await this.changes.apply(claimed, {
      target: forwardTarget(plan.action, plan.params),
      checkDrift: (shown, raw) => driftSince(plan, raw, shown),
      credentials,
    });
    const finishedAt = this.changes.now().toISOString();
    const done: OperationPlan = {
      ...claimed,
      status: outcome.ok
        ? nextStatus('executing', 'succeed')
        : nextStatus('executing', 'fail'),
      execution: { ...execution, ...outcome.execution, finishedAt },
      ...(outcome.ok ? {} : { error: outcome.error.message }),
      audit: {
        ...claimed.audit,
        timestamps: {
          ...claimed.audit.timestamps,
          ...(outcome.ok
            ? { executedAt: finishedAt }
            : { failedAt: finishedAt }),
        },
      },
    };
    const record: ExecutionRecord = outcome.ok
      ? { plan: { ...done, revision: claimed.revision + 1 } }
      : { error: { name: outcome.error.name, message: outcome.error.message } };
    const saved = await this.changes.settle(
      stored,
      {
        plan: done,
        expectedRevision: claimed.revision,
        ...(input.idempotencyKey ? { executionResult: record } : {}),
      },
      {
        eventId: 'plan-execute',
        action: outcome.ok ? 'plan.executed' : 'plan.failed',
        before: plan.diff.before,
        after: plan.diff.after,
      },
      actor,
      outcome,
    );
    return saved;
  }
}

function replayResult(record: ExecutionRecord): OperationPlan {
  if ('plan' in record) return record.plan;
  const Type =
    (
      {
        ConflictError,
        InputError,
        NotAllowedError,
        NotFoundError,
      } as Record<string, new (m: string) => CustomErrorBase>
    )[record.error.name] ?? ServiceUnavailableError;
  throw new Type(record.error.message);
}
