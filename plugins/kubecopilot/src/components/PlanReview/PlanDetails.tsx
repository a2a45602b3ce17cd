import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { PlanStatusLabel, RiskChip } from '../PlansTable';
import { formatTarget, formatUser } from '../PlansTable/format';
import { DiffView } from './DiffView';
import { ExecutionResult, SecondApprover } from './PlanNotices';
import { PlanSteps } from './PlanSteps';
import { RevertNotice } from './RevertNotice';
import { RolloutProgress } from './RolloutProgress';
import { AgentRequest } from './AgentRequest';

/** What the plan does, why, its risk and its exact change. */
export function PlanDetails(props: { plan: OperationPlan; me?: string }) {
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

      <AgentRequest plan={plan} />

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
