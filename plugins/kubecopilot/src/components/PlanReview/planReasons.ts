import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { PlanCommand } from '../../hooks/usePlanReview';

const SETTLED_AS: Partial<Record<OperationPlan['status'], string>> = {
  executed: 'This plan has already been executed',
  reverted: 'This plan has already been executed and reverted',
  failed: 'This plan failed',
  rejected: 'This plan was rejected',
  expired: 'This plan expired before anyone executed it',
};

/** Why a button the plan's state does not allow is greyed out, in words. */
export function stateReason(
  plan: Pick<OperationPlan, 'status' | 'action'>,
  command: PlanCommand,
): string {
  const { status } = plan;
  if (status === 'executing') {
    return 'The plan is being executed right now; wait until it finishes.';
  }
  if (status === 'paused') {
    return 'The rollout is paused, waiting for someone to confirm its promotion.';
  }
  const settled = SETTLED_AS[status];
  switch (command) {
    case 'approve':
    case 'reject':
      if (status === 'confirmed') return 'This plan is already approved.';
      return `${settled ?? 'This plan'}: there is nothing left to decide.`;
    case 'execute':
      if (status === 'pending') {
        return 'Someone must approve this plan before it can be executed.';
      }
      return `${
        settled ?? 'This plan cannot run now'
      }. A plan runs once; draft a new one to change the cluster again.`;
    case 'revert':
      if (plan.action === 'delete' && status === 'executed') {
        return 'A delete cannot be undone: the object is gone, and its controller re-creates any pods it owned.';
      }
      if (status === 'pending' || status === 'confirmed') {
        return 'Nothing to revert yet: this plan has not been executed.';
      }
      if (status === 'rejected' || status === 'expired') {
        return 'Nothing to revert: this plan was never executed.';
      }
      if (status === 'reverted') return 'This plan has already been reverted.';
      if (status === 'failed') {
        return 'This plan failed, so there is no change of its to revert.';
      }
      return 'This plan cannot be reverted now.';
    default:
      return '';
  }
}

export function denialReason(
  permitted: { loading: boolean; allowed: boolean },
  what: string,
) {
  if (permitted.loading) return 'Checking your permissions…';
  if (!permitted.allowed) return `You may not ${what} this plan`;
  return '';
}
