import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { formatTarget } from '../PlansTable/format';
import { KubecopilotT, kubecopilotTranslationRef } from '../../translation';

/** What reverting this plan does to the cluster, in one sentence. */
export function describeRevert(
  plan: Pick<OperationPlan, 'action' | 'resource'>,
  t: KubecopilotT,
): string {
  const target = t('review.revertConfirm.target', {
    target: formatTarget(plan.resource),
    cluster: plan.resource.cluster,
  });
  switch (plan.action) {
    case 'restart':
      return t('review.revertConfirm.restart', { target });
    case 'scale':
      return t('review.revertConfirm.scale', { target });
    case 'rollback':
      return t('review.revertConfirm.rollback', { target });
    default:
      return t('review.revertConfirm.other', { target });
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
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Dialog
      open={open}
      onClose={onCancel}
      aria-labelledby="revert-confirm-title"
      maxWidth="sm"
    >
      <DialogTitle id="revert-confirm-title">
        {t('review.revertConfirm.title')}
      </DialogTitle>
      <DialogContent>
        <DialogContentText>{describeRevert(plan, t)}</DialogContentText>
        <DialogContentText>
          {t('review.revertConfirm.checks')}
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>{t('review.revertConfirm.cancel')}</Button>
        <Button color="primary" variant="contained" onClick={onRevert}>
          {t('review.revertConfirm.revert')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
