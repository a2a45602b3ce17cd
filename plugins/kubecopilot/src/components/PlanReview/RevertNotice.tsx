import { Link } from '@backstage/core-components';
import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';

/**
 * A revert is a change of its own. When its risk needs a second person it
 * becomes a pending plan; both plans say so and link to each other.
 */
export function RevertNotice(props: { plan: OperationPlan }) {
  const { plan } = props;
  if (plan.revertOf) {
    return (
      <Alert severity="info">
        <AlertTitle>This plan reverts another plan</AlertTitle>
        It restores the values that{' '}
        <Link to={`?plan=${encodeURIComponent(plan.revertOf)}`}>
          plan {plan.revertOf.slice(0, 8)}
        </Link>{' '}
        replaced. Once it is executed, that plan is marked reverted.
      </Alert>
    );
  }
  if (plan.revertPlanId && plan.status === 'executed') {
    return (
      <Alert severity="warning">
        <AlertTitle>The revert waits for a second person</AlertTitle>
        Undoing this plan is a change of its own, and its risk needs a second
        person to approve it. It waits as{' '}
        <Link to={`?plan=${encodeURIComponent(plan.revertPlanId)}`}>
          plan {plan.revertPlanId.slice(0, 8)}
        </Link>
        .
      </Alert>
    );
  }
  return null;
}
