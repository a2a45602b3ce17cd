import {
  kubecopilotPlanApprovePermission,
  kubecopilotPlanExecutePermission,
  kubecopilotPlanRevertPermission,
  OperationPlan,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import { useState } from 'react';
import { PlanCommand } from '../../hooks/usePlanReview';
import {
  allowedByState,
  PlanActionsAllowed,
  promotionActions,
  PromotionActions,
} from './planActions';
import { denialReason, stateReason } from './planReasons';
import { RevertConfirm } from './RevertConfirm';
import { CopyPlanLink } from './CopyPlanLink';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { KubecopilotT, kubecopilotTranslationRef } from '../../translation';

type Permission = { loading: boolean; allowed: boolean };

/** The plan's permissions for the signed-in user, for its buttons. */
export function usePlanPermissions(plan?: OperationPlan) {
  const resourceRef = plan?.id;
  return {
    approve: usePermission({
      permission: kubecopilotPlanApprovePermission,
      resourceRef,
    }),
    execute: usePermission({
      permission: kubecopilotPlanExecutePermission,
      resourceRef,
    }),
    revert: usePermission({
      permission: kubecopilotPlanRevertPermission,
      resourceRef,
    }),
  };
}

interface ActionButton {
  command: PlanCommand;
  label: string;
  state: boolean;
  permission: Permission;
  what: string;
  color: 'primary' | 'secondary' | 'default';
  variant: 'contained' | 'outlined';
}

/** The four plan buttons: approve, reject, execute and revert. */
function actionButtons(
  state: PlanActionsAllowed,
  can: ReturnType<typeof usePlanPermissions>,
  t: KubecopilotT,
): ActionButton[] {
  return [
    {
      command: 'approve',
      label: t('reviewBar.approve'),
      state: state.approve,
      permission: can.approve,
      what: t('reviewBar.verb.approve'),
      color: 'primary',
      variant: 'contained',
    },
    {
      command: 'reject',
      label: t('reviewBar.reject'),
      state: state.reject,
      permission: can.approve,
      what: t('reviewBar.verb.reject'),
      color: 'secondary',
      variant: 'outlined',
    },
    {
      command: 'execute',
      label: t('reviewBar.execute'),
      state: state.execute,
      permission: can.execute,
      what: t('reviewBar.verb.execute'),
      color: 'primary',
      variant: 'contained',
    },
    {
      command: 'revert',
      label: t('reviewBar.revert'),
      state: state.revert,
      permission: can.revert,
      what: t('reviewBar.verb.revert'),
      color: 'default',
      variant: 'outlined',
    },
  ];
}

/** The bar while a rejection or a declined promotion waits for its reason. */
function ExplainBar(props: {
  explaining: 'reject' | 'decline';
  comment: string;
  setComment: (comment: string) => void;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { explaining, comment, setComment, busy } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <DialogActions style={{ flexWrap: 'wrap' }}>
      <TextField
        id={`plan-review-${explaining}-comment`}
        label={
          explaining === 'reject'
            ? t('reviewBar.whyReject')
            : t('reviewBar.whyDecline')
        }
        value={comment}
        onChange={e => setComment(e.target.value)}
        size="small"
        variant="outlined"
        style={{ flex: 1 }}
      />
      <Button onClick={props.onCancel}>{t('reviewBar.cancel')}</Button>
      <Button
        color="secondary"
        variant="contained"
        disabled={!comment.trim() || busy}
        onClick={props.onConfirm}
      >
        {explaining === 'reject'
          ? t('reviewBar.confirmReject')
          : t('reviewBar.confirmDecline')}
      </Button>
    </DialogActions>
  );
}

/** Confirm and decline for a rollout paused before its next promotion. */
function PromotionButtons(props: {
  promotion: PromotionActions;
  busy: boolean;
  label: (command: PlanCommand, text: string) => string;
  onConfirm: () => void;
  onDecline: () => void;
}) {
  const { promotion, busy, label } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <>
      <Tooltip title={promotion.confirm.reason} placement="top-end">
        <span>
          <Button
            color="primary"
            variant="contained"
            disabled={!promotion.confirm.enabled || busy}
            onClick={props.onConfirm}
          >
            {label('confirm', t('reviewBar.confirmPromotion'))}
          </Button>
        </span>
      </Tooltip>
      <Tooltip title={promotion.decline.reason} placement="top-end">
        <span>
          <Button
            color="secondary"
            variant="outlined"
            disabled={!promotion.decline.enabled || busy}
            onClick={props.onDecline}
          >
            {label('decline', t('reviewBar.decline'))}
          </Button>
        </span>
      </Tooltip>
    </>
  );
}

/** One plan button, disabled with its reason in a tooltip when it may not run. */
function PlanActionButton(props: {
  plan: OperationPlan;
  button: ActionButton;
  busy: boolean;
  label: (command: PlanCommand, text: string) => string;
  onClick: () => void;
}) {
  const { plan, button, busy, label } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const reason = button.state
    ? denialReason(button.permission, button.what, t)
    : stateReason(plan, button.command, t);
  const enabled =
    button.state &&
    !button.permission.loading &&
    button.permission.allowed &&
    !busy;
  return (
    // The buttons sit at the dialog's bottom right: open the reason
    // above them and leftwards, inside the dialog.
    <Tooltip title={reason} placement="top-end">
      <span>
        <Button
          color={button.color}
          variant={button.variant}
          disabled={!enabled}
          onClick={props.onClick}
        >
          {label(button.command, button.label)}
        </Button>
      </span>
    </Tooltip>
  );
}

/**
 * The decision bar of the review: approve, reject (with a reason), execute,
 * revert (after a confirmation), and for a paused rollout confirm or
 * decline its promotion. A button is enabled only when the plan's state
 * allows it and the policy lets this user do it; otherwise its tooltip says
 * why, in words.
 */
export function PlanActionsBar(props: {
  plan: OperationPlan;
  me?: string;
  busy?: PlanCommand;
  onRun: (
    command: PlanCommand,
    text?: string,
    stepId?: string,
  ) => Promise<void>;
}) {
  const { plan, me, onRun } = props;
  const [comment, setComment] = useState('');
  // Rejecting a plan and declining a promotion both need a reason.
  const [explaining, setExplaining] = useState<'reject' | 'decline'>();
  const [confirmingRevert, setConfirmingRevert] = useState(false);
  const can = usePlanPermissions(plan);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const state = allowedByState(plan);
  const busy = props.busy !== undefined || plan.status === 'executing';
  const promotion = promotionActions(plan, me, can.approve, t);

  const act = async (command: PlanCommand, text?: string) => {
    await onRun(command, text, promotion?.step?.id);
    setComment('');
    setExplaining(undefined);
  };
  const label = (command: PlanCommand, text: string) =>
    props.busy === command ? t('reviewBar.busy', { label: text }) : text;
  const click = (command: PlanCommand) => {
    if (command === 'reject') setExplaining('reject');
    else if (command === 'revert') setConfirmingRevert(true);
    else act(command, comment.trim());
  };

  if (explaining) {
    return (
      <ExplainBar
        explaining={explaining}
        comment={comment}
        setComment={setComment}
        busy={busy}
        onCancel={() => setExplaining(undefined)}
        onConfirm={() => act(explaining, comment.trim())}
      />
    );
  }

  return (
    <DialogActions style={{ flexWrap: 'wrap' }}>
      {state.approve && <CopyPlanLink planId={plan.id} />}
      {((state.approve && can.approve.allowed) ||
        promotion?.confirm.enabled) && (
        <TextField
          id="plan-review-comment"
          label={t('reviewBar.comment')}
          value={comment}
          onChange={e => setComment(e.target.value)}
          size="small"
          variant="outlined"
          style={{ flex: 1 }}
        />
      )}
      {promotion?.step && (
        <PromotionButtons
          promotion={promotion}
          busy={busy}
          label={label}
          onConfirm={() => act('confirm', comment.trim())}
          onDecline={() => setExplaining('decline')}
        />
      )}
      {actionButtons(state, can, t).map(button => (
        <PlanActionButton
          key={button.command}
          plan={plan}
          button={button}
          busy={busy}
          label={label}
          onClick={() => click(button.command)}
        />
      ))}
      <RevertConfirm
        plan={plan}
        open={confirmingRevert}
        onCancel={() => setConfirmingRevert(false)}
        onRevert={() => {
          setConfirmingRevert(false);
          act('revert');
        }}
      />
    </DialogActions>
  );
}
