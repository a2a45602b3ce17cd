import { Link } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';
import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';

/**
 * A revert is a change of its own. When its risk needs a second person it
 * becomes a pending plan; both plans say so and link to each other.
 */
export function RevertNotice(props: { plan: OperationPlan }) {
  const { plan } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (plan.revertOf) {
    return (
      <Alert severity="info">
        <AlertTitle>{t('review.revertNotice.revertOfTitle')}</AlertTitle>
        {t('review.revertNotice.revertOfBefore')}{' '}
        <Link to={`?plan=${encodeURIComponent(plan.revertOf)}`}>
          {t('review.revertNotice.planLink', { id: plan.revertOf.slice(0, 8) })}
        </Link>{' '}
        {t('review.revertNotice.revertOfAfter')}
      </Alert>
    );
  }
  if (plan.revertPlanId && plan.status === 'executed') {
    return (
      <Alert severity="warning">
        <AlertTitle>{t('review.revertNotice.waitsTitle')}</AlertTitle>
        {t('review.revertNotice.waitsBefore')}{' '}
        <Link to={`?plan=${encodeURIComponent(plan.revertPlanId)}`}>
          {t('review.revertNotice.planLink', {
            id: plan.revertPlanId.slice(0, 8),
          })}
        </Link>
        {t('review.revertNotice.waitsAfter')}
      </Alert>
    );
  }
  return null;
}
