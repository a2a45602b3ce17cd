import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  OperationPlan,
  kubecopilotPlanApprovePermission,
  kubecopilotPlanExecutePermission,
  kubecopilotPlanRevertPermission,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Divider from '@material-ui/core/Divider';
import IconButton from '@material-ui/core/IconButton';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { PlanCommand, usePlanReview } from '../../hooks/usePlanReview';
import { PlanStatusLabel, RiskChip } from '../PlansTable';
import { formatTarget, formatUser } from '../PlansTable/format';
import { Timestamp } from '../Timestamp';
import { AuditTrail } from './AuditTrail';
import { DiffView } from './DiffView';
import { PlanSteps, StepsProgress } from './PlanSteps';
import { RevertConfirm } from './RevertConfirm';
import { RevertNotice } from './RevertNotice';
import { RolloutProgress } from './RolloutProgress';
import { allowedByState, promotionActions } from './planActions';

/** @public */
export interface PlanReviewProps {
  /** The plan to review; the dialog is closed without one. */
  planId?: string;
  onClose: () => void;
  /** Called with every answer from the server, e.g. to refresh a list. */
  onChange?: (plan: OperationPlan) => void;
}

function sameRef(a?: string, b?: string) {
  return (
    !!a && !!b && a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US')
  );
}

function SecondApprover(props: { plan: OperationPlan; me?: string }) {
  const { plan, me } = props;
  if (!plan.requiresSecondApprover) {
    return null;
  }
  const mine = sameRef(plan.audit.requestedBy, me);
  if (plan.status === 'paused') {
    return (
      <Alert severity="info" data-testid="second-approver">
        {mine
          ? `${capitalize(
              plan.risk.level,
            )}-risk plans need a second person: you requested this one, so someone else must confirm its promotion.`
          : `${capitalize(
              plan.risk.level,
            )}-risk plans need a second person: ${formatUser(
              plan.audit.requestedBy,
            )} requested this one, so someone else must confirm its promotion — you, if you may approve it.`}
      </Alert>
    );
  }
  if (plan.status !== 'pending') {
    return null;
  }
  return (
    <Alert severity="info" data-testid="second-approver">
      {mine
        ? `${capitalize(
            plan.risk.level,
          )}-risk plans need a second person: you requested this one, so someone else must approve it.`
        : `${capitalize(
            plan.risk.level,
          )}-risk plans need a second person: ${formatUser(
            plan.audit.requestedBy,
          )} requested this one, so it waits for someone else's approval — yours, if you may approve it.`}
    </Alert>
  );
}

function capitalize(text: string) {
  return text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1);
}

/** The backend's own error name and words, not the HTTP wrapper's. */
export function describeError(error: Error): { name: string; message: string } {
  const body = (
    error as { body?: { error?: { name?: string; message?: string } } }
  ).body;
  if (body?.error?.name) {
    return {
      name: body.error.name,
      message: body.error.message ?? error.message,
    };
  }
  return { name: error.name, message: error.message };
}

const VERB: Record<PlanCommand, string> = {
  approve: 'approve',
  reject: 'reject',
  execute: 'execute',
  revert: 'revert',
  confirm: 'confirm the promotion of',
  decline: 'decline the promotion of',
};

function CommandError(props: { command: PlanCommand; error: Error }) {
  const { command, error } = props;
  const verb = VERB[command];
  const { name, message } = describeError(error);
  if (name === 'ConflictError') {
    return (
      <Alert severity="warning" data-testid="command-conflict">
        <AlertTitle>
          {command === 'execute' || command === 'revert'
            ? 'The cluster changed since the plan was made'
            : 'The plan changed meanwhile'}
        </AlertTitle>
        {message}
      </Alert>
    );
  }
  if (name === 'NotAllowedError') {
    return (
      <Alert severity="error" data-testid="command-denied">
        <AlertTitle>You may not {verb} this plan</AlertTitle>
        {message}
      </Alert>
    );
  }
  return (
    <Alert severity="error" data-testid="command-failed">
      <AlertTitle>Could not {verb} the plan</AlertTitle>
      {message}
    </Alert>
  );
}

function ExecutionResult(props: {
  title: string;
  result: NonNullable<OperationPlan['execution']>;
}) {
  const { title, result } = props;
  let severity: 'success' | 'error' | 'info' = 'info';
  if (result.outcome === 'applied') severity = 'success';
  if (
    result.outcome === 'failed' ||
    result.outcome === 'rolled-back' ||
    result.dryRun === 'failed'
  ) {
    severity = 'error';
  }
  return (
    <Alert severity={severity} data-testid="execution-result">
      <AlertTitle>
        {title}: {result.outcome ?? 'in progress'}
        {result.dryRun ? ` · dry run ${result.dryRun}` : ''}
      </AlertTitle>
      {result.message && <div>{result.message}</div>}
      {result.drift && result.drift.length > 0 && (
        <div>
          Changed in the cluster since the plan was made:{' '}
          {result.drift.map(path => (
            <code key={path} style={{ marginRight: 8 }}>
              {path}
            </code>
          ))}
        </div>
      )}
      <Typography variant="caption" component="div">
        by {formatUser(result.by)}, started{' '}
        <Timestamp iso={result.startedAt} format="locale" />
        {result.finishedAt && (
          <>
            , finished <Timestamp iso={result.finishedAt} format="locale" />
          </>
        )}
      </Typography>
    </Alert>
  );
}

function PlanDetails(props: { plan: OperationPlan; me?: string }) {
  const { plan, me } = props;
  const rules = plan.risk.reasons.filter(r => !r.warning);
  const rolledBack = plan.execution?.outcome === 'rolled-back';
  const warnings = plan.risk.reasons.filter(r => r.warning);
  return (
    <>
      <Box display="flex" alignItems="center" flexWrap="wrap" mb={2}>
        <Box mr={2}>
          <PlanStatusLabel status={plan.status} />
        </Box>
        <Box>
          <Typography variant="body2" color="textSecondary">
            requested by {formatUser(plan.audit.requestedBy)}
            {plan.intent ? ` as “${plan.intent}”` : ''}
          </Typography>
        </Box>
      </Box>

      <Typography variant="h6">{whatHeading(plan)}</Typography>
      <Typography variant="body1" data-testid="plan-what">
        <strong>{plan.action}</strong> {formatTarget(plan.resource)} on cluster{' '}
        <strong>{plan.resource.cluster}</strong>
        {describeParams(plan)}
      </Typography>

      <Box mt={2}>
        <Typography variant="h6">Why</Typography>
        <Typography variant="body1" style={{ whiteSpace: 'pre-line' }}>
          {plan.aiRationale}
        </Typography>
        <Typography
          variant="caption"
          color="textSecondary"
          data-testid="rationale-source"
        >
          {plan.rationaleSource === 'llm'
            ? `Written by a model${plan.model ? ` (${plan.model})` : ''}${
                plan.promptVersion ? `, prompt ${plan.promptVersion}` : ''
              } — check it against the diff.`
            : 'From KubeCopilot’s rules; no model was involved.'}
        </Typography>
      </Box>

      <Box mt={2}>
        <Box display="flex" alignItems="center">
          <Typography variant="h6" style={{ marginRight: 8 }}>
            Risk
          </Typography>
          <RiskChip level={plan.risk.level} />
        </Box>
        {rules.length === 0 && (
          <Typography variant="body2" data-testid="risk-rationale">
            {describeRiskWithoutRules(plan)}
          </Typography>
        )}
        {rules.length > 0 && (
          <List dense aria-label="Risk rules">
            {rules.map(reason => (
              <ListItem key={`${reason.rule}-${reason.message}`}>
                <ListItemText
                  primary={
                    <>
                      <code>{reason.rule}</code>
                      {reason.level && (
                        <Chip
                          size="small"
                          label={reason.level}
                          style={{ marginLeft: 8 }}
                        />
                      )}
                    </>
                  }
                  secondary={reason.message}
                />
              </ListItem>
            ))}
          </List>
        )}
        {warnings.map(reason => (
          <Box mt={1} key={`${reason.rule}-${reason.message}`}>
            <Alert severity="warning" data-testid="risk-warning">
              <code>{reason.rule}</code>: {reason.message}
            </Alert>
          </Box>
        ))}
      </Box>

      <Box mt={2}>
        <SecondApprover plan={plan} me={me} />
      </Box>

      {plan.approvals.length > 0 && (
        <Box mt={2}>
          <Typography variant="h6">Decisions</Typography>
          {plan.approvals.map(approval => (
            <Typography variant="body2" key={`${approval.by}-${approval.at}`}>
              {formatUser(approval.by)} {approval.decision}
              {approval.comment ? `: “${approval.comment}”` : ''}
            </Typography>
          ))}
        </Box>
      )}

      {rolledBack && (
        <Box mt={2}>
          <Alert severity="error" data-testid="rolled-back">
            <AlertTitle>
              Rolled back:{' '}
              {plan.error ?? plan.execution?.message ?? 'the rollout failed'}
            </AlertTitle>
            The rollback steps ran; see them under Rollback below.
          </Alert>
        </Box>
      )}
      {plan.error && !rolledBack && (
        <Box mt={2}>
          <Alert severity="error">
            <AlertTitle>The plan failed</AlertTitle>
            {plan.error}
          </Alert>
        </Box>
      )}
      {plan.execution && (
        <Box mt={2}>
          <ExecutionResult title="Execution" result={plan.execution} />
        </Box>
      )}
      {(plan.status === 'executed' || plan.status === 'reverted') && (
        <Box mt={1}>
          <RolloutProgress plan={plan} />
        </Box>
      )}
      {plan.revert && (
        <Box mt={2}>
          <ExecutionResult title="Revert" result={plan.revert} />
        </Box>
      )}
      {(plan.revertOf || plan.revertPlanId) && (
        <Box mt={2}>
          <RevertNotice plan={plan} />
        </Box>
      )}

      {plan.steps && plan.steps.length > 0 && (
        <Box mt={2}>
          <PlanSteps plan={plan} />
        </Box>
      )}

      <Box mt={2}>
        <Typography variant="h6">
          {plan.steps ? 'The end state once promoted' : 'The exact change'}
        </Typography>
        <DiffView diff={plan.diff} status={plan.status} />
      </Box>
    </>
  );
}

/** The heading over the plan's action: future before execution, past after. */
export function whatHeading(plan: Pick<OperationPlan, 'status'>): string {
  switch (plan.status) {
    case 'executed':
    case 'reverted':
      return 'What was done';
    case 'failed':
      return 'What was attempted';
    case 'rejected':
    case 'expired':
      return 'What was proposed';
    case 'executing':
      return 'What is being done';
    default:
      return 'What will be done';
  }
}

/**
 * The risk in words when no rule fired: the engine's rationale repeats the
 * level ("low: no risk rule applies"), which the chip beside it says.
 */
export function describeRiskWithoutRules(
  plan: Pick<OperationPlan, 'risk'>,
): string {
  const text = plan.risk.rationale
    .replace(new RegExp(`^${plan.risk.level}:\\s*`, 'i'), '')
    .trim();
  if (!text || /^no risk rule applies$/i.test(text)) {
    return 'No risk rule applies to this change.';
  }
  return text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1);
}

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

function denialReason(
  permitted: { loading: boolean; allowed: boolean },
  what: string,
) {
  if (permitted.loading) return 'Checking your permissions…';
  if (!permitted.allowed) return `You may not ${what} this plan`;
  return '';
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
  const { plan } = review;
  const identityApi = useApi(identityApiRef);
  const { value: me } = useAsync(
    async () => (await identityApi.getBackstageIdentity()).userEntityRef,
    [identityApi],
  );
  const [comment, setComment] = useState('');
  // Rejecting a plan and declining a promotion both need a reason.
  const [explaining, setExplaining] = useState<'reject' | 'decline'>();
  const [confirmingRevert, setConfirmingRevert] = useState(false);

  const resourceRef = plan?.id;
  const canApprove = usePermission({
    permission: kubecopilotPlanApprovePermission,
    resourceRef,
  });
  const canExecute = usePermission({
    permission: kubecopilotPlanExecutePermission,
    resourceRef,
  });
  const canRevert = usePermission({
    permission: kubecopilotPlanRevertPermission,
    resourceRef,
  });

  const state = plan
    ? allowedByState(plan)
    : { approve: false, reject: false, execute: false, revert: false };
  const busy = review.busy !== undefined || plan?.status === 'executing';
  const promotion = plan ? promotionActions(plan, me, canApprove) : undefined;

  const act = async (command: PlanCommand, text?: string) => {
    await review.run(command, text, promotion?.step?.id);
    setComment('');
    setExplaining(undefined);
  };
  // Tell the list about every answer, so its rows match the server.
  const key = plan ? `${plan.id}:${plan.status}:${plan.revision}` : undefined;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  useEffect(() => {
    if (plan && key) onChangeRef.current?.(plan);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const buttons: Array<{
    command: PlanCommand;
    label: string;
    state: boolean;
    permission: { loading: boolean; allowed: boolean };
    what: string;
    color: 'primary' | 'secondary' | 'default';
    variant: 'contained' | 'outlined';
  }> = [
    {
      command: 'approve',
      label: 'Approve',
      state: state.approve,
      permission: canApprove,
      what: 'approve',
      color: 'primary',
      variant: 'contained',
    },
    {
      command: 'reject',
      label: 'Reject',
      state: state.reject,
      permission: canApprove,
      what: 'reject',
      color: 'secondary',
      variant: 'outlined',
    },
    {
      command: 'execute',
      label: 'Execute',
      state: state.execute,
      permission: canExecute,
      what: 'execute',
      color: 'primary',
      variant: 'contained',
    },
    {
      command: 'revert',
      label: 'Revert',
      state: state.revert,
      permission: canRevert,
      what: 'revert',
      color: 'default',
      variant: 'outlined',
    },
  ];

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
              ? `Review plan: ${plan.action} ${formatTarget(plan.resource)}`
              : 'Review plan'}
          </Typography>
          <IconButton aria-label="Close" onClick={onClose}>
            <CloseIcon />
          </IconButton>
        </Box>
      </DialogTitle>
      <DialogContent dividers>
        {review.loadError && !plan && (
          <ResponseErrorPanel
            error={review.loadError}
            title="Could not load the plan"
          />
        )}
        {!plan && !review.loadError && <Progress />}
        {plan && (
          <>
            {review.commandError && (
              <Box mb={2}>
                <CommandError {...review.commandError} />
              </Box>
            )}
            {review.started && (
              <Box mb={2}>
                <Alert severity="success" data-testid="rollout-started">
                  Rollout started — steps run in the background
                </Alert>
              </Box>
            )}
            {plan.status === 'executing' && !plan.steps && (
              <Box mb={2}>
                <Alert severity="info" data-testid="executing">
                  Executing in the cluster; this view refreshes until the change
                  settles.
                </Alert>
                <Progress />
              </Box>
            )}
            {plan.status === 'executing' && plan.steps && (
              <Box mb={2}>
                <Alert severity="info" data-testid="executing">
                  Rolling out in the cluster; this view follows the steps as
                  they run.
                </Alert>
                <StepsProgress plan={plan} />
              </Box>
            )}
            {plan.status === 'paused' && (
              <Box mb={2}>
                <Alert severity="warning" data-testid="awaiting-promotion">
                  <AlertTitle>
                    Waiting for someone to confirm promotion
                  </AlertTitle>
                  {promotion?.step?.title ??
                    'The rollout is paused at an approval step.'}
                </Alert>
                <StepsProgress plan={plan} />
              </Box>
            )}
            <PlanDetails plan={plan} me={me} />
            <Box mt={3}>
              <Divider />
            </Box>
            <Box mt={2}>
              {review.auditError && (
                <ResponseErrorPanel
                  error={review.auditError}
                  title="Could not load the audit trail"
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
        <DialogActions style={{ flexWrap: 'wrap' }}>
          {explaining ? (
            <>
              <TextField
                id={`plan-review-${explaining}-comment`}
                label={
                  explaining === 'reject'
                    ? 'Why reject? (required)'
                    : 'Why decline the promotion? (required)'
                }
                value={comment}
                onChange={e => setComment(e.target.value)}
                size="small"
                variant="outlined"
                style={{ flex: 1 }}
              />
              <Button onClick={() => setExplaining(undefined)}>Cancel</Button>
              <Button
                color="secondary"
                variant="contained"
                disabled={!comment.trim() || busy}
                onClick={() => act(explaining, comment.trim())}
              >
                Confirm {explaining}
              </Button>
            </>
          ) : (
            <>
              {((state.approve && canApprove.allowed) ||
                promotion?.confirm.enabled) && (
                <TextField
                  id="plan-review-comment"
                  label="Comment (optional)"
                  value={comment}
                  onChange={e => setComment(e.target.value)}
                  size="small"
                  variant="outlined"
                  style={{ flex: 1 }}
                />
              )}
              {promotion?.step && (
                <>
                  <Tooltip title={promotion.confirm.reason} placement="top-end">
                    <span>
                      <Button
                        color="primary"
                        variant="contained"
                        disabled={!promotion.confirm.enabled || busy}
                        onClick={() => act('confirm', comment.trim())}
                      >
                        {review.busy === 'confirm'
                          ? 'Confirm promotion…'
                          : 'Confirm promotion'}
                      </Button>
                    </span>
                  </Tooltip>
                  <Tooltip title={promotion.decline.reason} placement="top-end">
                    <span>
                      <Button
                        color="secondary"
                        variant="outlined"
                        disabled={!promotion.decline.enabled || busy}
                        onClick={() => setExplaining('decline')}
                      >
                        {review.busy === 'decline' ? 'Decline…' : 'Decline'}
                      </Button>
                    </span>
                  </Tooltip>
                </>
              )}
              {buttons.map(button => {
                const reason = button.state
                  ? denialReason(button.permission, button.what)
                  : stateReason(plan, button.command);
                const enabled =
                  button.state &&
                  !button.permission.loading &&
                  button.permission.allowed &&
                  !busy;
                return (
                  // The buttons sit at the dialog's bottom right: open the
                  // reason above them and leftwards, inside the dialog.
                  <Tooltip
                    key={button.command}
                    title={reason}
                    placement="top-end"
                  >
                    <span>
                      <Button
                        color={button.color}
                        variant={button.variant}
                        disabled={!enabled}
                        onClick={() => {
                          if (button.command === 'reject') {
                            setExplaining('reject');
                          } else if (button.command === 'revert') {
                            setConfirmingRevert(true);
                          } else {
                            act(button.command, comment.trim());
                          }
                        }}
                      >
                        {review.busy === button.command
                          ? `${button.label}…`
                          : button.label}
                      </Button>
                    </span>
                  </Tooltip>
                );
              })}
            </>
          )}
        </DialogActions>
      )}
      {plan && (
        <RevertConfirm
          plan={plan}
          open={confirmingRevert}
          onCancel={() => setConfirmingRevert(false)}
          onRevert={() => {
            setConfirmingRevert(false);
            act('revert');
          }}
        />
      )}
    </Dialog>
  );
}

/** The action's parameters in words; a canary reads as its rollout. */
export function describeParams(plan: OperationPlan): string {
  const p = plan.params as Record<string, unknown>;
  if (plan.action === 'canary' && typeof p.image === 'string') {
    const steps = Array.isArray(p.steps) ? (p.steps as number[]) : [];
    const conditions = [
      typeof p.maxErrorRate === 'number'
        ? `error rate > ${+(p.maxErrorRate * 100).toFixed(3)}%`
        : undefined,
      typeof p.maxP99LatencyMs === 'number'
        ? `p99 > ${p.maxP99LatencyMs} ms`
        : undefined,
    ].filter(Boolean);
    return `: ${String(p.previousImage ?? '?')} → ${p.image}${
      steps.length ? ` at ${steps.map(w => `${w}%`).join(' → ')}` : ''
    }${
      conditions.length
        ? `, rolling back if ${conditions.join(' or ')}`
        : ', with no metric gate'
    }${p.confirmPromotion ? ', with a confirmation before promotion' : ''}`;
  }
  if (plan.action === 'rollback') {
    // The stored templates are whole pod templates: say what moves, not them.
    const images = (t: any) =>
      (t?.spec?.containers ?? []).map((c: any) => c.image).join(', ') || '?';
    return `${
      typeof p.toRevision === 'number'
        ? ` to revision ${p.toRevision}`
        : ' to the pod template it had before'
    }: ${images(p.previousTemplate)} → ${images(p.template)}`;
  }
  const entries = Object.entries(p);
  return entries.length > 0
    ? ` with ${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`
    : '';
}
