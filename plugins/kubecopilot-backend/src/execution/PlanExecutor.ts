import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  CustomErrorBase,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  kubecopilotPlanApprovePermission,
  kubecopilotPlanExecutePermission,
  kubecopilotPlanRevertPermission,
  OperationPlan,
  PlanExecution,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AuditStore } from '../audit/types';
import { KubernetesBackendClient } from '../kubernetes/types';
import { nextStatus } from '../plans/lifecycle';
import { actorOf, forStorage, PlanService } from '../plans/PlanService';
import { PlanNotifier } from '../plans/PlanNotifier';
import { PlanStore, StoredPlan } from '../plans/types';
import { snapshotDrift, specDrift } from './drift';
import { writeFor } from './operations';
import { ApplyOutcome, applyChange, readObject } from './applyChange';
import { StepRunner } from './StepRunner';
import { recordChange } from '../plans/recordChange';

type KubeObject = Record<string, any>;

/** What an idempotent execute stores, to replay on a repeated key. */
type ExecutionRecord =
  | { plan: OperationPlan }
  | { error: { name: string; message: string } };

export interface PlanExecutorOptions {
  store: PlanStore;
  audit: AuditStore;
  kubernetes: KubernetesBackendClient;
  plans: PlanService;
  notifier: PlanNotifier;
  logger: LoggerService;
  /** Runs multi-step (canary) plans; without it they cannot be executed. */
  steps?: StepRunner;
  /**
   * How long after its start an execution may still be in flight on some
   * replica; reconcile leaves younger ones alone. Default 60 s, longer than
   * an execute can take (re-read, dry run and write, each with a deadline).
   */
  executingGraceMs?: number;
  now?: () => Date;
}

/**
 * Executes and reverts approved plans, deterministically and exactly once:
 * claim the plan (optimistic lock: `confirmed → executing`, one winner across
 * requests and replicas), re-read the object and abort on spec drift, dry-run,
 * then write once with a resourceVersion precondition. A write is never
 * retried; a write whose outcome is unknown fails the plan with the object as
 * it was re-read.
 */
export class PlanExecutor {
  private readonly now: () => Date;

  constructor(private readonly options: PlanExecutorOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async execute(
    id: string,
    input: { idempotencyKey?: string },
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<OperationPlan> {
    const { store, plans } = this.options;
    const stored = await plans.loadAuthorized(
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
    if (plan.status === 'executing') {
      throw new ConflictError(`Plan '${id}' is being executed right now`);
    }
    const status = nextStatus(plan.status, 'start-execution');
    const execution: PlanExecution = {
      by: actor,
      startedAt: this.now().toISOString(),
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
    };
    const claimed = await recordChange(
      store,
      this.options.audit,
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

    if (claimed.steps) {
      // Steps run one by one in the background (gates take minutes); the
      // plan's status and steps show the progress.
      await this.options.notifier.planChanged(claimed, stored.ownerRef);
      this.requireSteps().start(id);
      return claimed;
    }

    const outcome = await this.apply(claimed, {
      from: plan.diff.before,
      to: plan.diff.after,
      checkDrift: live => snapshotDrift(plan.diff.before as KubeObject, live),
      credentials,
    });
    const finishedAt = this.now().toISOString();
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
    return this.settle(
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
  }

  async revert(
    id: string,
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<OperationPlan> {
    const { store, plans } = this.options;
    const stored = await plans.loadAuthorized(
      id,
      kubecopilotPlanRevertPermission,
      credentials,
      `revert plan '${id}'`,
    );
    const actor = actorOf(credentials);
    const { plan } = stored;
    const status = nextStatus(plan.status, 'revert');
    if (plan.action === 'delete') {
      throw new ConflictError(
        'A delete cannot be reverted: the object is gone, and its controller re-creates controlled pods',
      );
    }
    if (plan.revert && !plan.revert.finishedAt) {
      throw new ConflictError(`Plan '${id}' is being reverted right now`);
    }
    const revert: PlanExecution = {
      by: actor,
      startedAt: this.now().toISOString(),
    };
    const claimed = await recordChange(
      store,
      this.options.audit,
      { plan: { ...plan, revert }, expectedRevision: plan.revision },
      {
        planId: id,
        entityRef: plan.entityRef,
        actor,
        action: 'plan.revert-started',
        before: plan.diff.after,
      },
    );
    const outcome = claimed.steps
      ? await this.requireSteps().revert(claimed, credentials)
      : await this.apply(claimed, {
          from: plan.diff.after,
          to: plan.diff.before,
          checkDrift: live => specDrift(plan.diff.after as KubeObject, live),
          credentials,
        });
    const finishedAt = this.now().toISOString();
    const done: OperationPlan = {
      ...claimed,
      status: outcome.ok ? status : claimed.status,
      revert: { ...revert, ...outcome.execution, finishedAt },
      ...(outcome.ok
        ? {
            audit: {
              ...claimed.audit,
              timestamps: {
                ...claimed.audit.timestamps,
                revertedAt: finishedAt,
              },
            },
          }
        : {}),
    };
    return this.settle(
      stored,
      { plan: done, expectedRevision: claimed.revision },
      {
        eventId: 'plan-revert',
        action: outcome.ok ? 'plan.reverted' : 'plan.revert-failed',
        before: plan.diff.after,
        after: plan.diff.before,
      },
      actor,
      outcome,
    );
  }

  /**
   * Confirms the approval step a multi-step plan is paused at ("confirm
   * promotion"); the plan resumes in the background. Needs the approve
   * permission on the plan.
   */
  async confirmStep(
    id: string,
    stepId: string,
    input: { comment?: string },
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<OperationPlan> {
    return this.decideStep(
      id,
      'confirm',
      credentials,
      async (stored, actor) => {
        const saved = await this.requireSteps().confirm(
          stored.plan,
          stepId,
          actor,
          input.comment,
        );
        await this.options.notifier.planChanged(saved, stored.ownerRef);
        return saved;
      },
    );
  }

  /**
   * Declines the approval step a plan is paused at: its rollback steps run
   * (and the people concerned hear of the outcome).
   */
  async declineStep(
    id: string,
    stepId: string,
    input: { comment: string },
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<OperationPlan> {
    return this.decideStep(id, 'decline', credentials, (stored, actor) =>
      this.requireSteps().decline(
        stored.plan,
        stepId,
        actor,
        input.comment,
        stored.ownerRef,
      ),
    );
  }

  /** Authorizes a step decision (approve permission), then tells the auditor. */
  private async decideStep(
    id: string,
    verb: 'confirm' | 'decline',
    credentials: BackstageCredentials,
    decide: (stored: StoredPlan, actor: string) => Promise<OperationPlan>,
  ): Promise<OperationPlan> {
    const stored = await this.options.plans.loadAuthorized(
      id,
      kubecopilotPlanApprovePermission,
      credentials,
      `${verb} steps of plan '${id}'`,
    );
    const actor = actorOf(credentials);
    const saved = await decide(stored, actor);
    await this.options.plans.emitAuditorEvent(
      `plan-step-${verb}`,
      saved,
      actor,
    );
    return saved;
  }

  private requireSteps(): StepRunner {
    if (!this.options.steps) {
      throw new ConflictError(
        'this backend cannot run multi-step plans (no step runner configured)',
      );
    }
    return this.options.steps;
  }

  /**
   * Settles plans a crashed backend left `executing`, by looking at the
   * object instead of writing again: the change is there → executed; the
   * object is as it was → failed (nothing was written); else failed, drifted.
   */
  async reconcile(credentials: BackstageCredentials): Promise<number> {
    const { store } = this.options;
    let settled = 0;
    for (const { plan, ownerRef } of await store.listExecuting()) {
      if (plan.steps) {
        try {
          if (await this.requireSteps().reconcile(plan, ownerRef)) settled += 1;
        } catch (error) {
          if (!(error instanceof ConflictError)) {
            this.options.logger.warn(
              `Cannot reconcile plan ${plan.id} yet: ${error}`,
            );
          }
        }
        continue;
      }
      const startedAt = Date.parse(plan.execution?.startedAt ?? '');
      if (
        Number.isFinite(startedAt) &&
        this.now().getTime() - startedAt <
          (this.options.executingGraceMs ?? 60_000)
      ) {
        // Probably still being executed by another replica: its own outcome
        // will settle it; a later run settles it if that replica died.
        continue;
      }
      let live: KubeObject | null;
      try {
        live = await readObject(
          this.options.kubernetes,
          plan.resource,
          credentials,
        );
      } catch (error) {
        this.options.logger.warn(
          `Cannot reconcile plan ${plan.id} yet: ${error}`,
        );
        continue;
      }
      const shown = live ? forStorage(live) : null;
      const applied =
        specDrift(plan.diff.after as KubeObject, shown).length === 0;
      const untouched =
        specDrift(plan.diff.before as KubeObject, shown).length === 0;
      const at = this.now().toISOString();
      let message =
        'the backend stopped during execution and the object has changed since; check it';
      let outcome: PlanExecution['outcome'] = 'unknown';
      if (applied) {
        message =
          'the backend stopped during execution; the change is in place, so the plan is marked executed';
        outcome = 'applied';
      } else if (untouched) {
        message =
          'the backend stopped during execution before the write; nothing was changed';
        outcome = 'failed';
      }
      const done: OperationPlan = {
        ...plan,
        status: applied ? 'executed' : 'failed',
        execution: {
          ...(plan.execution ?? { by: 'plugin:kubecopilot', startedAt: at }),
          outcome,
          message,
          finishedAt: at,
        },
        ...(applied ? {} : { error: message }),
        audit: {
          ...plan.audit,
          timestamps: {
            ...plan.audit.timestamps,
            ...(applied ? { executedAt: at } : { failedAt: at }),
          },
        },
      };
      try {
        await recordChange(
          store,
          this.options.audit,
          { plan: done, expectedRevision: plan.revision },
          {
            planId: plan.id,
            entityRef: plan.entityRef,
            actor: 'plugin:kubecopilot',
            action: applied ? 'plan.executed' : 'plan.failed',
            before: plan.diff.before,
            after: applied ? plan.diff.after : undefined,
            payload: { reconciled: true, message },
          },
        );
        settled += 1;
      } catch (error) {
        // Another replica settled it first.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return settled;
  }

  /**
   * Records the outcome of an execution or revert (plan and audit entry in
   * one transaction), tells the auditor and the people concerned, and
   * surfaces a failure to the caller after it is recorded.
   */
  private async settle(
    stored: StoredPlan,
    change: {
      plan: OperationPlan;
      expectedRevision: number;
      executionResult?: unknown;
    },
    step: { eventId: string; action: string; before: unknown; after: unknown },
    actor: string,
    outcome:
      | { ok: true; execution: Partial<PlanExecution> }
      | { ok: false; error: Error; execution: Partial<PlanExecution> },
  ): Promise<OperationPlan> {
    const { plan } = stored;
    const saved = await recordChange(
      this.options.store,
      this.options.audit,
      change,
      {
        planId: plan.id,
        entityRef: plan.entityRef,
        actor,
        action: step.action,
        before: step.before,
        after: outcome.ok ? step.after : undefined,
        payload: {
          ...outcome.execution,
          ...(outcome.ok ? {} : { error: outcome.error.message }),
        },
      },
    );
    await this.options.plans.emitAuditorEvent(
      step.eventId,
      saved,
      actor,
      outcome.ok ? undefined : outcome.error,
    );
    await this.options.notifier.planChanged(saved, stored.ownerRef);
    if (!outcome.ok) throw outcome.error;
    return saved;
  }

  private async apply(
    plan: OperationPlan,
    step: {
      from: Record<string, unknown> | null;
      to: Record<string, unknown> | null;
      checkDrift: (live: KubeObject | null) => string[];
      credentials: BackstageCredentials;
    },
  ): Promise<ApplyOutcome> {
    return applyChange(this.options.kubernetes, {
      resource: plan.resource,
      credentials: step.credentials,
      checkDrift: live => {
        const drift = step.checkDrift(live);
        return drift.length === 0 && !live ? ['it no longer exists'] : drift;
      },
      write: live =>
        writeFor(
          plan.action,
          plan.resource,
          step.from as KubeObject,
          step.to as KubeObject,
          live!,
        ),
      isApplied: live => specDrift(step.to as KubeObject, live).length === 0,
    });
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
