import { Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  KubecopilotT,
  kubecopilotTranslationRef,
  tOr,
} from '../../translation';
import {
  isSameActor,
  OperationPlan,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { PlanCommand } from '../../hooks/usePlanReview';
import { formatUser } from '../PlansTable/format';
import { Timestamp } from '../Timestamp';
import { StepsProgress } from './PlanSteps';

export function SecondApprover(props: { plan: OperationPlan; me?: string }) {
  const { plan, me } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (!plan.requiresSecondApprover) {
    return null;
  }
  const mine = isSameActor(plan.audit.requestedBy, me);
  const level = capitalize(t(`plans.risk.${plan.risk.level}`));
  const user = formatUser(plan.audit.requestedBy);
  if (plan.status === 'paused') {
    return (
      <Alert severity="info" data-testid="second-approver">
        {mine
          ? t('reviewNotices.secondPaused', { level })
          : t('reviewNotices.secondPausedOther', { level, user })}
      </Alert>
    );
  }
  if (plan.status !== 'pending') {
    return null;
  }
  return (
    <Alert severity="info" data-testid="second-approver">
      {mine
        ? t('reviewNotices.secondPending', { level })
        : t('reviewNotices.secondPendingOther', { level, user })}
    </Alert>
  );
}

function capitalize(text: string) {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
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

function verbOf(command: PlanCommand, t: KubecopilotT): string {
  return t(`reviewBar.verb.${command}`);
}

export function CommandError(props: { command: PlanCommand; error: Error }) {
  const { command, error } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const verb = verbOf(command, t);
  const { name, message } = describeError(error);
  if (name === 'ConflictError') {
    return (
      <Alert severity="warning" data-testid="command-conflict">
        <AlertTitle>
          {command === 'execute' || command === 'revert'
            ? t('reviewNotices.clusterChanged')
            : t('reviewNotices.planChanged')}
        </AlertTitle>
        {message}
      </Alert>
    );
  }
  if (name === 'NotAllowedError') {
    return (
      <Alert severity="error" data-testid="command-denied">
        <AlertTitle>{t('reviewNotices.mayNot', { verb })}</AlertTitle>
        {message}
      </Alert>
    );
  }
  return (
    <Alert severity="error" data-testid="command-failed">
      <AlertTitle>{t('reviewNotices.couldNot', { verb })}</AlertTitle>
      {message}
    </Alert>
  );
}

export function ExecutionResult(props: {
  title: string;
  result: NonNullable<OperationPlan['execution']>;
}) {
  const { title, result } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
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
        {t('reviewNotices.resultTitle', {
          title,
          outcome: result.outcome
            ? tOr(t, `reviewNotices.outcome.${result.outcome}`, result.outcome)
            : t('reviewNotices.inProgress'),
        })}
        {result.dryRun
          ? t('reviewNotices.dryRun', {
              result: tOr(
                t,
                `reviewNotices.outcome.${result.dryRun}`,
                result.dryRun,
              ),
            })
          : ''}
      </AlertTitle>
      {result.message && <div>{result.message}</div>}
      {result.drift && result.drift.length > 0 && (
        <div>
          {t('reviewNotices.drift')}{' '}
          {result.drift.map(path => (
            <code key={path} style={{ marginRight: 8 }}>
              {path}
            </code>
          ))}
        </div>
      )}
      <Typography variant="caption" component="div">
        {t('reviewNotices.byStarted', { user: formatUser(result.by) })}{' '}
        <Timestamp iso={result.startedAt} format="locale" />
        {result.finishedAt && (
          <>
            {t('reviewNotices.finished')}{' '}
            <Timestamp iso={result.finishedAt} format="locale" />
          </>
        )}
      </Typography>
    </Alert>
  );
}

/**
 * What is happening to the plan right now, above its details: the last
 * command's error, a rollout that started, an execution in flight, a
 * rollout paused for its promotion.
 */
export function PlanStatusAlerts(props: {
  plan: OperationPlan;
  commandError?: { command: PlanCommand; error: Error };
  started: boolean;
  promotionTitle?: string;
}) {
  const { plan, commandError, started, promotionTitle } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <>
      {commandError && (
        <Box mb={2}>
          <CommandError {...commandError} />
        </Box>
      )}
      {started && (
        <Box mb={2}>
          <Alert severity="success" data-testid="rollout-started">
            {t('reviewNotices.rolloutStarted')}
          </Alert>
        </Box>
      )}
      {plan.status === 'executing' && !plan.steps && (
        <Box mb={2}>
          <Alert severity="info" data-testid="executing">
            {t('reviewNotices.executing')}
          </Alert>
          <Progress />
        </Box>
      )}
      {plan.status === 'executing' && plan.steps && (
        <Box mb={2}>
          <Alert severity="info" data-testid="executing">
            {t('reviewNotices.rollingOut')}
          </Alert>
          <StepsProgress plan={plan} />
        </Box>
      )}
      {plan.status === 'paused' && (
        <Box mb={2}>
          <Alert severity="warning" data-testid="awaiting-promotion">
            <AlertTitle>{t('reviewNotices.awaitingPromotion')}</AlertTitle>
            {promotionTitle ?? t('reviewNotices.pausedAtApproval')}
          </Alert>
          <StepsProgress plan={plan} />
        </Box>
      )}
    </>
  );
}
