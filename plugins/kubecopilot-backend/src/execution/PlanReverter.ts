import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  kubecopilotPlanRevertPermission,
  OperationPlan,
  PlanExecution,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { specDrift } from '../changes/drift';
import {
  ChangeTarget,
  forwardTarget,
  isTargetApplied,
} from '../changes/change';
import { actorOf } from '../identity/actor';
import { nextStatus } from '../plans/lifecycle';
import { recordChange } from '../plans/recordChange';
import { StoredPlan } from '../plans/types';
import { ApplyOutcome, KubeObject } from './applyChange';
import { PlanChanges } from './PlanChanges';

/**
 * Reverts executed plans. A revert is a change of its own: the values the
 * plan replaced, applied to the object as it is now, with its own risk; when
 * that risk needs a second person it becomes a pending plan instead.
 */
export class PlanReverter {
  constructor(private readonly changes: PlanChanges) {}

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
    const { store, access, drafter } = this.changes.options;
    const stored = await access.loadAuthorized(
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
      const draft = await drafter.draftRevert(plan, credentials);
      if (draft.requiresSecondApprover) {
        return drafter.requestRevertApproval(stored, draft, actor);
      }
      target = forwardTarget(plan.action, draft.change.params);
      revertRisk = draft.risk;
    }
    const revert: PlanExecution = {
      by: actor,
      startedAt: this.changes.now().toISOString(),
    };
    const claimed = await recordChange(
      store,
      this.changes.options.audit,
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
        ? await this.changes.steps().revert(claimed, credentials)
        : await this.changes.apply(claimed, {
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
    const finishedAt = this.changes.now().toISOString();
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
    return this.changes.settle(
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
    const pending = await this.changes.options.store.getPlan(plan.revertPlanId);
    const status = pending?.plan.status;
    if (status && ['pending', 'confirmed', 'executing'].includes(status)) {
      throw new ConflictError(
        `A revert of plan '${plan.id}' already waits as plan '${plan.revertPlanId}' (${status}); approve, reject or execute that one`,
      );
    }
  }
}
