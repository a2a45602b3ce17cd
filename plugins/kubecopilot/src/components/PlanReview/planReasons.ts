import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { PlanCommand } from '../../hooks/usePlanReview';
import { KubecopilotT } from '../../translation';

function settledAs(
  status: OperationPlan['status'],
  t: KubecopilotT,
): string | undefined {
  switch (status) {
    case 'executed':
    case 'reverted':
    case 'failed':
    case 'rejected':
    case 'expired':
      return t(`review.state.settled.${status}`);
    default:
      return undefined;
  }
}

/** Why a button the plan's state does not allow is greyed out, in words. */
export function stateReason(
  plan: Pick<OperationPlan, 'status' | 'action'>,
  command: PlanCommand,
  t: KubecopilotT,
): string {
  const { status } = plan;
  if (status === 'executing') {
    return t('review.state.executing');
  }
  if (status === 'paused') {
    return t('review.state.paused');
  }
  const settled = settledAs(status, t);
  switch (command) {
    case 'approve':
    case 'reject':
      if (status === 'confirmed') return t('review.state.alreadyApproved');
      return t('review.state.nothingToDecide', {
        settled: settled ?? t('review.state.thisPlan'),
      });
    case 'execute':
      if (status === 'pending') {
        return t('review.state.needsApproval');
      }
      return t('review.state.runsOnce', {
        settled: settled ?? t('review.state.cannotRunNow'),
      });
    case 'revert':
      if (plan.action === 'delete' && status === 'executed') {
        return t('review.state.deleteIrreversible');
      }
      if (status === 'pending' || status === 'confirmed') {
        return t('review.state.notExecutedYet');
      }
      if (status === 'rejected' || status === 'expired') {
        return t('review.state.neverExecuted');
      }
      if (status === 'reverted') return t('review.state.alreadyReverted');
      if (status === 'failed') {
        return t('review.state.failedNothingToRevert');
      }
      return t('review.state.cannotRevertNow');
    default:
      return '';
  }
}

export function denialReason(
  permitted: { loading: boolean; allowed: boolean },
  what: string,
  t: KubecopilotT,
) {
  if (permitted.loading) return t('review.state.checkingPermissions');
  if (!permitted.allowed) return t('review.state.mayNot', { what });
  return '';
}
