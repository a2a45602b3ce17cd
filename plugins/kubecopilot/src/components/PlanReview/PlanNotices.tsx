import { Progress } from '@backstage/core-components';
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
  if (!plan.requiresSecondApprover) {
    return null;
  }
  const mine = isSameActor(plan.audit.requestedBy, me);
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

export function CommandError(props: { command: PlanCommand; error: Error }) {
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

export function ExecutionResult(props: {
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
            Rolling out in the cluster; this view follows the steps as they
            run.
          </Alert>
          <StepsProgress plan={plan} />
        </Box>
      )}
      {plan.status === 'paused' && (
        <Box mb={2}>
          <Alert severity="warning" data-testid="awaiting-promotion">
            <AlertTitle>Waiting for someone to confirm promotion</AlertTitle>
            {promotionTitle ?? 'The rollout is paused at an approval step.'}
          </Alert>
          <StepsProgress plan={plan} />
        </Box>
      )}
    </>
  );
}
