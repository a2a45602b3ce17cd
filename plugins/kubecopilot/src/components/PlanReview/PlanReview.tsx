import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import {
  identityApiRef,
  useApi,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';
import { actionLabel } from '../PlansTable/PlansTable';
import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Divider from '@material-ui/core/Divider';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import { useEffect, useRef } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { usePlanReview } from '../../hooks/usePlanReview';
import { formatTarget } from '../PlansTable/format';
import { AuditTrail } from './AuditTrail';
import { PlanActionsBar, usePlanPermissions } from './PlanActionsBar';
import { PlanDetails } from './PlanDetails';
import { PlanStatusAlerts } from './PlanNotices';
import { promotionActions } from './planActions';

/** @public */
export interface PlanReviewProps {
  /** The plan to review; the dialog is closed without one. */
  planId?: string;
  onClose: () => void;
  /** Called with every answer from the server, e.g. to refresh a list. */
  onChange?: (plan: OperationPlan) => void;
}

/**
 * Everything needed to decide on a plan, and the buttons to do it. Each
 * button is offered only when the plan's state allows it and the permission
 * policy lets the signed-in user do it for this plan.
 *
 * @public
 */
export function PlanReview(props: PlanReviewProps) {
  // Nothing to ask the server or the permission policy while closed.
  if (!props.planId) {
    return null;
  }
  return <OpenPlanReview {...props} planId={props.planId} />;
}

function OpenPlanReview(props: PlanReviewProps & { planId: string }) {
  const { planId, onClose, onChange } = props;
  const review = usePlanReview(planId);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const { plan } = review;
  const identityApi = useApi(identityApiRef);
  const { value: me } = useAsync(
    async () => (await identityApi.getBackstageIdentity()).userEntityRef,
    [identityApi],
  );
  const can = usePlanPermissions(plan);
  const promotion = plan
    ? promotionActions(plan, me, can.approve, t)
    : undefined;

  // Tell the list about every answer, so its rows match the server.
  const key = plan ? `${plan.id}:${plan.status}:${plan.revision}` : undefined;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  useEffect(() => {
    if (plan && key) onChangeRef.current?.(plan);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="lg"
      aria-labelledby="plan-review-title"
    >
      <DialogTitle id="plan-review-title" disableTypography>
        <Box display="flex" alignItems="center">
          <Typography variant="h5" component="h2" style={{ flex: 1 }}>
            {plan
              ? t('review.titleFor', {
                  action: actionLabel(plan.action, t),
                  target: formatTarget(plan.resource),
                })
              : t('review.title')}
          </Typography>
          <IconButton aria-label={t('review.close')} onClick={onClose}>
            <CloseIcon />
          </IconButton>
        </Box>
      </DialogTitle>
      <DialogContent dividers>
        {review.loadError && !plan && (
          <ResponseErrorPanel
            error={review.loadError}
            title={t('review.loadError')}
          />
        )}
        {!plan && !review.loadError && <Progress />}
        {plan && (
          <>
            <PlanStatusAlerts
              plan={plan}
              commandError={review.commandError}
              started={review.started}
              promotionTitle={promotion?.step?.title}
            />
            <PlanDetails plan={plan} me={me} />
            <Box mt={3}>
              <Divider />
            </Box>
            <Box mt={2}>
              {review.auditError && (
                <ResponseErrorPanel
                  error={review.auditError}
                  title={t('review.auditError')}
                />
              )}
              {!review.auditError && review.audit && (
                <AuditTrail
                  entries={review.audit}
                  onLoadOlder={review.loadOlderAudit}
                  loadingOlder={review.loadingOlderAudit}
                  verification={review.verification}
                />
              )}
              {!review.auditError && !review.audit && <Progress />}
            </Box>
          </>
        )}
      </DialogContent>
      {plan && (
        <PlanActionsBar
          plan={plan}
          me={me}
          busy={review.busy}
          onRun={review.run}
        />
      )}
    </Dialog>
  );
}
