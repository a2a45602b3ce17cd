import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  OperationPlan,
  PlanExecution,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  ChangeTarget,
  forwardTarget,
  inverseTarget,
  isTargetApplied,
} from '../changes/change';
import { forStorage } from '../changes/forStorage';
import { driftSince } from '../changes/snapshot';
import { nextStatus } from '../plans/lifecycle';
import { recordChange } from '../plans/recordChange';
import { KubeObject, readObject } from './applyChange';
import { PlanChanges } from './PlanChanges';

/**
 * Crash recovery, run by plan maintenance: settles executions and reverts a
 * stopped backend left in flight by looking at the object, never by writing
 * again.
 */
export class PlanReconciler {
  constructor(private readonly changes: PlanChanges) {}

  /**
   * Settles plans a crashed backend left `executing`, by looking at the
   * object instead of writing again: the change is there → executed; the
   * object is as it was → failed (nothing was written); else failed, drifted.
   */
  async reconcile(credentials: BackstageCredentials): Promise<number> {
    const { store } = this.changes.options;
    let settled = 0;
    for (const { plan, ownerRef } of await store.listExecuting()) {
      if (plan.steps) {
        try {
          if (await this.changes.steps().reconcile(plan, ownerRef)) {
            settled += 1;
          }
        } catch (error) {
          if (!(error instanceof ConflictError)) {
            this.changes.options.logger.warn(
              `Cannot reconcile plan ${plan.id} yet: ${error}`,
            );
          }
        }
        continue;
      }
      if (this.mayStillBeRunning(plan.execution?.startedAt)) {
        // Probably still being executed by another replica: its own outcome
        // will settle it; a later run settles it if that replica died.
        continue;
      }
      if (await this.settleExecution(plan, credentials)) settled += 1;
    }
    return settled + (await this.reconcileReverts(credentials));
  }

  /** One single-step plan left `executing`: judged from its object. */
  private async settleExecution(
    plan: OperationPlan,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const { store } = this.changes.options;
    const read = await this.readOrWarn(plan, credentials, `plan ${plan.id}`);
    if (!read) return false;
    const { live } = read;
    const shown = live ? forStorage(live) : null;
    const applied = isTargetApplied(
      forwardTarget(plan.action, plan.params),
      live,
      plan.snapshot?.uid,
    );
    const untouched = driftSince(plan, live, shown).length === 0;
    const at = this.changes.now().toISOString();
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
        this.changes.options.audit,
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
      if (applied) {
        await this.changes.markOriginalReverted(saved, 'plugin:kubecopilot');
      }
      return true;
    } catch (error) {
      // Another replica settled it first.
      if (!(error instanceof ConflictError)) throw error;
      return false;
    }
  }

  /** The plan's object as it is now; undefined (and a warning) when it cannot be read. */
  private async readOrWarn(
    plan: OperationPlan,
    credentials: BackstageCredentials,
    what: string,
  ): Promise<{ live: KubeObject | null } | undefined> {
    try {
      return {
        live: await readObject(
          this.changes.options.kubernetes,
          plan.resource,
          credentials,
        ),
      };
    } catch (error) {
      this.changes.options.logger.warn(
        `Cannot reconcile ${what} yet: ${error}`,
      );
      return undefined;
    }
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
    for (const stored of await this.changes.options.store.listRevertsInFlight()) {
      const { plan } = stored;
      if (this.mayStillBeRunning(plan.revert?.startedAt)) continue;
      let reverted = false;
      let message =
        'the revert was interrupted; its outcome could not be judged from the object (a multi-step plan); check it and revert again if needed';
      if (!plan.steps) {
        const read = await this.readOrWarn(
          plan,
          credentials,
          `the revert of plan ${plan.id}`,
        );
        if (!read) continue;
        const { live } = read;
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
        if (reverted) {
          message =
            'the backend stopped during the revert; the old values are in place, so the plan is marked reverted';
        } else if (stillApplied) {
          message =
            'the revert was interrupted before its write; nothing was changed, and the plan can be reverted again';
        } else {
          message =
            'the revert was interrupted and the object has changed since; check it before reverting again';
        }
      }
      const at = this.changes.now().toISOString();
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
          this.changes.options.store,
          this.changes.options.audit,
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
        await this.changes.options.notifier.planChanged(saved, stored.ownerRef);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return settled;
  }

  /**
   * Whether work started at `startedAt` may still be in flight on some
   * replica (younger than `kubecopilot.maintenance.executingGraceSeconds`).
   */
  private mayStillBeRunning(startedAt: string | undefined): boolean {
    const at = Date.parse(startedAt ?? '');
    return (
      Number.isFinite(at) &&
      this.changes.now().getTime() - at <
        (this.changes.options.executingGraceMs ?? 60_000)
    );
  }
}
