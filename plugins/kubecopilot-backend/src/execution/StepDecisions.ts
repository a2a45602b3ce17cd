import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  kubecopilotPlanApprovePermission,
  OperationPlan,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { actorOf } from '../identity/actor';
import { StoredPlan } from '../plans/types';
import { PlanChanges } from './PlanChanges';

/**
 * A person's decision on the approval step a multi-step plan waits at
 * ("confirm promotion"): the approve permission on the plan, the second
 * person rule, the auditor told.
 */
export class StepDecisions {
  constructor(private readonly changes: PlanChanges) {}

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
        const saved = await this.changes.steps().confirm(
          stored.plan,
          stepId,
          actor,
          input.comment,
        );
        await this.changes.options.notifier.planChanged(saved, stored.ownerRef);
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
      this.changes.steps().decline(
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
    const stored = await this.changes.options.access.loadAuthorized(
      id,
      kubecopilotPlanApprovePermission,
      credentials,
      `${verb} steps of plan '${id}'`,
    );
    const actor = actorOf(credentials);
    const saved = await decide(stored, actor);
    await this.changes.options.access.emitAuditorEvent(
      `plan-step-${verb}`,
      saved,
      actor,
    );
    return saved;
  }
}
