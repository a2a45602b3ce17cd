import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  OperationPlan,
  PlanExecution,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AuditStore } from '../audit/types';
import {
  ChangeTarget,
  isTargetApplied,
  writeFor,
} from '../changes/change';
import { KubernetesBackendClient } from '../kubernetes/types';
import { nextStatus } from '../plans/lifecycle';
import { PlanAccess } from '../plans/PlanAccess';
import { PlanDrafter } from '../plans/PlanDrafter';
import { PlanNotifier } from '../plans/PlanNotifier';
import { recordChange } from '../plans/recordChange';
import { PlanStore, StoredPlan } from '../plans/types';
import { ApplyOutcome, applyChange, KubeObject } from './applyChange';
import { StepRunner } from './StepRunner';

export interface ExecutionOptions {
  store: PlanStore;
  audit: AuditStore;
  kubernetes: KubernetesBackendClient;
  access: PlanAccess;
  /** Drafts the plan a revert becomes when it needs its own approval. */
  drafter: PlanDrafter;
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
 * The steps execution, revert, step decisions and crash recovery share: the
 * guarded write of a plan's change, the recording of its outcome (plan and
 * audit entry in one transaction, then the auditor and the people
 * concerned), and the link from a revert plan to the plan it undoes.
 */
export class PlanChanges {
  constructor(readonly options: ExecutionOptions) {}

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  steps(): StepRunner {
    if (!this.options.steps) {
      throw new ConflictError(
        'this backend cannot run multi-step plans (no step runner configured)',
      );
    }
    return this.options.steps;
  }

  /**
   * After a revert plan ran, the plan it undoes is reverted too: same
   * transaction discipline, its own audit entry naming the revert plan.
   */
  async markOriginalReverted(revertPlan: OperationPlan, actor: string) {
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
   * Records the outcome of an execution or revert (plan and audit entry in
   * one transaction), tells the auditor and the people concerned, and
   * surfaces a failure to the caller after it is recorded.
   */
  async settle(
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
    await this.options.access.emitAuditorEvent(
      step.eventId,
      saved,
      actor,
      outcome.ok ? undefined : outcome.error,
    );
    await this.options.notifier.planChanged(saved, stored.ownerRef);
    if (!outcome.ok) throw outcome.error;
    return saved;
  }

  async apply(
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
