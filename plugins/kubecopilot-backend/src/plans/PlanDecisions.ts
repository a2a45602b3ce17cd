import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  isSameActor,
  kubecopilotPlanApprovePermission,
  OperationPlan,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AuditStore } from '../audit/types';
import { actorOf } from '../identity/actor';
import { nextStatus, PlanTransition } from './lifecycle';
import { PlanAccess } from './PlanAccess';
import { PlanNotifier } from './PlanNotifier';
import { recordChange } from './recordChange';
import { PlanStore } from './types';

export interface PlanDecisionsOptions {
  store: PlanStore;
  audit: AuditStore;
  access: PlanAccess;
  notifier: PlanNotifier;
  now?: () => Date;
}

/**
 * The decisions on a pending plan: approve (a second person for the risk
 * levels that need one), reject, and expiry of plans that waited too long.
 */
export class PlanDecisions {
  private readonly now: () => Date;

  constructor(private readonly options: PlanDecisionsOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async approve(
    id: string,
    input: { comment?: string },
    { credentials }: { credentials: BackstageCredentials },
  ) {
    return this.decide(id, 'approve', input.comment, credentials);
  }

  async reject(
    id: string,
    input: { comment: string },
    { credentials }: { credentials: BackstageCredentials },
  ) {
    return this.decide(id, 'reject', input.comment, credentials);
  }

  private async decide(
    id: string,
    transition: Extract<PlanTransition, 'approve' | 'reject'>,
    comment: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<OperationPlan> {
    const stored = await this.options.access.loadAuthorized(
      id,
      kubecopilotPlanApprovePermission,
      credentials,
      `${transition} plan '${id}'`,
    );
    const actor = actorOf(credentials);
    const { plan } = stored;
    const status = nextStatus(plan.status, transition);
    if (
      transition === 'approve' &&
      plan.requiresSecondApprover &&
      isSameActor(plan.audit.requestedBy, actor)
    ) {
      throw new NotAllowedError(
        `This plan is ${plan.risk.level} risk, so a second person must approve it; you requested it yourself`,
      );
    }
    const at = this.now().toISOString();
    const next: OperationPlan = {
      ...plan,
      status,
      approvals: [
        ...plan.approvals,
        {
          by: actor,
          decision: transition === 'approve' ? 'approved' : 'rejected',
          at,
          ...(comment ? { comment } : {}),
        },
      ],
      audit: {
        ...plan.audit,
        ...(transition === 'approve' ? { confirmedBy: actor } : {}),
        timestamps: {
          ...plan.audit.timestamps,
          ...(transition === 'approve'
            ? { confirmedAt: at }
            : { rejectedAt: at }),
        },
      },
    };
    const saved = await recordChange(
      this.options.store,
      this.options.audit,
      { plan: next, expectedRevision: plan.revision },
      {
        planId: plan.id,
        entityRef: plan.entityRef,
        actor,
        action: transition === 'approve' ? 'plan.approved' : 'plan.rejected',
        payload: { ...(comment ? { comment } : {}), risk: plan.risk.level },
      },
    );
    await this.options.access.emitAuditorEvent(`plan-${transition}`, saved, actor);
    await this.options.notifier.planChanged(saved, stored.ownerRef);
    return saved;
  }

  /**
   * Expires plans that waited longer than `maxAgeMs` for a decision, so a
   * stale diff is never approved weeks later. Returns how many expired.
   */
  /**
   * Expires plans that waited longer than `maxAgeMs` for a decision, so a
   * stale diff is never approved weeks later. Returns how many expired.
   */
  async expireStalePlans(maxAgeMs: number): Promise<number> {
    const now = this.now();
    let expired = 0;
    for (const { plan, ownerRef } of await this.options.store.listPendingBefore(
      new Date(now.getTime() - maxAgeMs),
      500,
    )) {
      const at = now.toISOString();
      const next: OperationPlan = {
        ...plan,
        status: nextStatus(plan.status, 'expire'),
        audit: {
          ...plan.audit,
          timestamps: { ...plan.audit.timestamps, expiredAt: at },
        },
      };
      try {
        const saved = await recordChange(
          this.options.store,
          this.options.audit,
          { plan: next, expectedRevision: plan.revision },
          {
            planId: plan.id,
            entityRef: plan.entityRef,
            actor: 'plugin:kubecopilot',
            action: 'plan.expired',
            payload: {
              waitedHours: Math.round(
                (now.getTime() - Date.parse(plan.audit.timestamps.createdAt)) /
                  3_600_000,
              ),
            },
          },
        );
        expired += 1;
        await this.options.notifier.planChanged(saved, ownerRef);
      } catch (error) {
        // Decided or expired by someone else meanwhile.
        if (!(error instanceof Error && error.name === 'ConflictError'))
          throw error;
      }
    }
    return expired;
  }
}
