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
import { forStorage } from '../changes/forStorage';
import { actorOf } from '../identity/actor';
import { PlanService } from '../plans/PlanService';
import { PlanNotifier } from '../plans/PlanNotifier';
import { PlanStore, StoredPlan } from '../plans/types';
import { specDrift } from '../changes/drift';
import {
  ChangeTarget,
  forwardTarget,
  inverseTarget,
  isTargetApplied,
  writeFor,
} from '../changes/change';
import { driftSince } from '../changes/snapshot';
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

    // The write is computed from the live object and the plan's typed
    // params now, never from the stored (redacted) diff; drift is judged
    // against the unredacted snapshot the reviewer's diff was made from.
    const outcome = await this.apply(claimed, {
      target: forwardTarget(plan.action, plan.params),
      checkDrift: (shown, raw) => driftSince(plan, raw, shown),
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
    const saved = await this.settle(
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
    await this.markOriginalReverted(saved, actor);
    return saved;
  }

  /**
   * Reverts an executed plan. The revert is a change of its own: the values
   * the plan replaced, applied to the object as it is now, with its own risk.
   * When that risk needs a second person, the revert becomes a pending plan
   * linked to this one (`revertPlan` in the answer) instead of running.
   */
  async revert(
    id: string,
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<{ plan: OperationPlan; revertPlan?: OperationPlan }> {
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
    if (plan.revert && !plan.revert.finishedAt) {
      throw new ConflictError(`Plan '${id}' is being reverted right now`);
    }
    await this.checkNoRevertPending(plan);

    let target: ChangeTarget | undefined;
    let revertRisk: OperationPlan['risk'] | undefined;
    if (!plan.steps) {
      const draft = await plans.draftRevert(plan, credentials);
      if (draft.requiresSecondApprover) {
        return plans.requestRevertApproval(stored, draft, actor);
      }
      target = forwardTarget(plan.action, draft.change.params);
      revertRisk = draft.risk;
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
        ...(revertRisk
          ? {
              payload: {
                risk: revertRisk.level,
                rules: revertRisk.reasons.map(r => r.rule),
              },
            }
          : {}),
      },
    );
    const forward = plan.steps
      ? undefined
      : forwardTarget(plan.action, plan.params);
    const outcome =
      claimed.steps || !target || !forward
        ? await this.requireSteps().revert(claimed, credentials)
        : await this.apply(claimed, {
            target,
            // The plan's own values must still be in place: anything else
            // means someone changed the object after the plan ran.
            checkDrift: (shown, raw) => {
              const drift = specDrift(plan.diff.after as KubeObject, shown);
              if (drift.length > 0 || !raw) return drift;
              return isTargetApplied(forward, raw)
                ? []
                : [
                    `the values this plan set were changed after it executed`,
                  ];
            },
            credentials,
          });
    return { plan: await this.settleRevert(stored, claimed, revert, status, outcome, actor) };
  }

  /** Records a revert's outcome (and of a revert plan, on the plan it undoes). */
  private async settleRevert(
    stored: StoredPlan,
    claimed: OperationPlan,
    revert: PlanExecution,
    status: OperationPlan['status'],
    outcome: ApplyOutcome,
    actor: string,
  ): Promise<OperationPlan> {
    const { plan } = stored;
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

  /** A revert plan that still waits (or runs) blocks a second revert. */
  private async checkNoRevertPending(plan: OperationPlan) {
    if (!plan.revertPlanId) return;
    const pending = await this.options.store.getPlan(plan.revertPlanId);
    const status = pending?.plan.status;
    if (status && ['pending', 'confirmed', 'executing'].includes(status)) {
      throw new ConflictError(
        `A revert of plan '${plan.id}' already waits as plan '${plan.revertPlanId}' (${status}); approve, reject or execute that one`,
      );
    }
  }

  /**
   * After a revert plan ran, the plan it undoes is reverted too: same
   * transaction discipline, its own audit entry naming the revert plan.
   */
  private async markOriginalReverted(revertPlan: OperationPlan, actor: string) {
    if (!revertPlan.revertOf) return;
    const original = await this.options.store.getPlan(revertPlan.revertOf);
    if (!original || original.plan.status !== 'executed') return;
    const at = this.now().toISOString();
    try {
      const saved = await recordChange(
        this.options.store,
        this.options.audit,
        {
          plan: {
            ...original.plan,
            status: nextStatus(original.plan.status, 'revert'),
            revert: {
              by: actor,
              startedAt: revertPlan.execution?.startedAt ?? at,
              finishedAt: at,
              outcome: 'applied',
              message: `reverted by plan ${revertPlan.id}`,
            },
            audit: {
              ...original.plan.audit,
              timestamps: { ...original.plan.audit.timestamps, revertedAt: at },
            },
          },
          expectedRevision: original.plan.revision,
        },
        {
          planId: original.plan.id,
          entityRef: original.plan.entityRef,
          actor,
          action: 'plan.reverted',
          payload: { revertPlanId: revertPlan.id },
        },
      );
      await this.options.notifier.planChanged(saved, original.ownerRef);
    } catch (error) {
      this.options.logger.warn(
        `Plan ${revertPlan.revertOf} was undone by plan ${revertPlan.id} but could not be marked reverted: ${error}`,
      );
    }
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
      const applied = isTargetApplied(
        forwardTarget(plan.action, plan.params),
        live,
        plan.snapshot?.uid,
      );
      const untouched = driftSince(plan, live, shown).length === 0;
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
        const saved = await recordChange(
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
        if (applied) await this.markOriginalReverted(saved, 'plugin:kubecopilot');
      } catch (error) {
        // Another replica settled it first.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return settled + (await this.reconcileReverts(credentials));
  }

  /**
   * Settles reverts a stopped backend (or a failed database write) left
   * claimed: the object says whether the revert's write happened. A plan is
   * never left "being reverted" for ever: either it is reverted, or the claim
   * is released and the revert can be tried again.
   */
  private async reconcileReverts(
    credentials: BackstageCredentials,
  ): Promise<number> {
    let settled = 0;
    for (const stored of await this.options.store.listRevertsInFlight()) {
      const { plan } = stored;
      const startedAt = Date.parse(plan.revert?.startedAt ?? '');
      if (
        Number.isFinite(startedAt) &&
        this.now().getTime() - startedAt <
          (this.options.executingGraceMs ?? 60_000)
      ) {
        continue;
      }
      let reverted = false;
      let message =
        'the revert was interrupted; its outcome could not be judged from the object (a multi-step plan); check it and revert again if needed';
      if (!plan.steps) {
        let live: KubeObject | null;
        try {
          live = await readObject(
            this.options.kubernetes,
            plan.resource,
            credentials,
          );
        } catch (error) {
          this.options.logger.warn(
            `Cannot reconcile the revert of plan ${plan.id} yet: ${error}`,
          );
          continue;
        }
        let inverse: ChangeTarget | undefined;
        try {
          inverse = inverseTarget(plan.action, plan.params);
        } catch {
          inverse = undefined;
        }
        reverted = !!inverse && isTargetApplied(inverse, live);
        const stillApplied = isTargetApplied(
          forwardTarget(plan.action, plan.params),
          live,
        );
        message = reverted
          ? 'the backend stopped during the revert; the old values are in place, so the plan is marked reverted'
          : stillApplied
          ? 'the revert was interrupted before its write; nothing was changed, and the plan can be reverted again'
          : 'the revert was interrupted and the object has changed since; check it before reverting again';
      }
      const at = this.now().toISOString();
      const done: OperationPlan = {
        ...plan,
        status: reverted ? nextStatus(plan.status, 'revert') : plan.status,
        revert: {
          ...plan.revert!,
          outcome: reverted ? 'applied' : 'failed',
          message,
          finishedAt: at,
        },
        ...(reverted
          ? {
              audit: {
                ...plan.audit,
                timestamps: { ...plan.audit.timestamps, revertedAt: at },
              },
            }
          : {}),
      };
      try {
        const saved = await recordChange(
          this.options.store,
          this.options.audit,
          { plan: done, expectedRevision: plan.revision },
          {
            planId: plan.id,
            entityRef: plan.entityRef,
            actor: 'plugin:kubecopilot',
            action: reverted ? 'plan.reverted' : 'plan.revert-failed',
            payload: { reconciled: true, message },
          },
        );
        settled += 1;
        await this.options.notifier.planChanged(saved, stored.ownerRef);
      } catch (error) {
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
      target: ChangeTarget;
      checkDrift: (shown: KubeObject | null, raw: KubeObject | null) => string[];
      credentials: BackstageCredentials;
    },
  ): Promise<ApplyOutcome> {
    return applyChange(this.options.kubernetes, {
      resource: plan.resource,
      credentials: step.credentials,
      checkDrift: (shown, raw) => {
        const drift = step.checkDrift(shown, raw);
        return drift.length === 0 && !raw ? ['it no longer exists'] : drift;
      },
      write: live => writeFor(plan.resource, step.target, live!),
      isApplied: (_shown, raw) =>
        isTargetApplied(step.target, raw, plan.snapshot?.uid),
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
