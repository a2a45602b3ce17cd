import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import { formatTarget } from '../PlansTable/format';

/** What reverting this plan does to the cluster, in one sentence. */
export function describeRevert(
  plan: Pick<OperationPlan, 'action' | 'resource'>,
): string {
  const target = `${formatTarget(plan.resource)} on cluster ${
    plan.resource.cluster
  }`;
  switch (plan.action) {
    case 'restart':
      return `It puts the restart annotation of ${target} back as it was, which rolls its pods once more.`;
    case 'scale':
      return `It scales ${target} back to the replica count it had before this plan.`;
    case 'rollback':
      return `It puts the pod template ${target} had before the rollback back in place, which rolls its pods again.`;
    default:
      return `It puts ${target} back to what the diff shows as "Was in the cluster".`;
  }
}

/**
 * Reverting writes to the cluster like executing does, so it asks first and
 * says what will happen.
 */
export function RevertConfirm(props: {
  plan: OperationPlan;
  open: boolean;
  onCancel: () => void;
  onRevert: () => void;
}) {
  const { plan, open, onCancel, onRevert } = props;
  return (
    <Dialog
      open={open}
      onClose={onCancel}
      aria-labelledby="revert-confirm-title"
      maxWidth="sm"
    >
      <DialogTitle id="revert-confirm-title">Revert this plan?</DialogTitle>
      <DialogContent>
        <DialogContentText>{describeRevert(plan)}</DialogContentText>
        <DialogContentText>
          KubeCopilot first checks that nobody changed those values since, and
          dry-runs the change; the revert is recorded in the audit trail. If its
          risk needs a second person, it waits for their approval as a plan of
          its own.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button color="primary" variant="contained" onClick={onRevert}>
          Revert
        </Button>
      </DialogActions>
    </Dialog>
  );
}
