import { useTranslationRef } from '@backstage/frontend-plugin-api';
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
import { KubecopilotT, kubecopilotTranslationRef } from '../../translation';
import { actionLabel } from '../PlansTable/PlansTable';

/** What the plan does, why, its risk and its exact change. */
export function PlanDetails(props: { plan: OperationPlan; me?: string }) {
  const { plan, me } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <>
      <PlanHeader plan={plan} />
      <PlanWhat plan={plan} />
      <PlanWhy plan={plan} />

      <AgentRequest plan={plan} />

      <PlanRisk plan={plan} />

      <Box mt={2}>
        <SecondApprover plan={plan} me={me} />
      </Box>

      <PlanDecisions plan={plan} />
      <PlanOutcome plan={plan} />

      {plan.steps && plan.steps.length > 0 && (
        <Box mt={2}>
          <PlanSteps plan={plan} />
        </Box>
      )}

      <Box mt={2}>
        <Typography variant="h6">
          {plan.steps ? t('review.endState') : t('review.exactChange')}
        </Typography>
        <DiffView diff={plan.diff} status={plan.status} />
      </Box>
    </>
  );
}

/** The plan's status and who asked for it. */
function PlanHeader({ plan }: { plan: OperationPlan }) {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" mb={2}>
      <Box mr={2}>
        <PlanStatusLabel status={plan.status} />
      </Box>
      <Box>
        <Typography variant="body2" color="textSecondary">
          {plan.intent
            ? t('review.requestedByAs', {
                user: formatUser(plan.audit.requestedBy),
                intent: plan.intent,
              })
            : t('review.requestedBy', {
                user: formatUser(plan.audit.requestedBy),
              })}
        </Typography>
      </Box>
    </Box>
  );
}

/** The action, its target and its parameters in words. */
function PlanWhat({ plan }: { plan: OperationPlan }) {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <>
      <Typography variant="h6">{whatHeading(plan, t)}</Typography>
      <Typography variant="body1" data-testid="plan-what">
        <strong>{actionLabel(plan.action, t)}</strong>{' '}
        {formatTarget(plan.resource)} {t('review.onCluster')}{' '}
        <strong>{plan.resource.cluster}</strong>
        {describeParams(plan, t)}
      </Typography>
    </>
  );
}

/** Who wrote the rationale: the rules, or a model (named when known). */
function rationaleSourceText(plan: OperationPlan, t: KubecopilotT): string {
  if (plan.rationaleSource !== 'llm') return t('review.fromRules');
  if (plan.model && plan.promptVersion) {
    return t('review.writtenByModelPrompt', {
      model: plan.model,
      prompt: plan.promptVersion,
    });
  }
  if (plan.model) {
    return t('review.writtenByModelNamed', { model: plan.model });
  }
  return t('review.writtenByModel');
}

/** The rationale and where it came from. */
function PlanWhy({ plan }: { plan: OperationPlan }) {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Box mt={2}>
      <Typography variant="h6">{t('review.why')}</Typography>
      <Typography variant="body1" style={{ whiteSpace: 'pre-line' }}>
        {plan.aiRationale}
      </Typography>
      <Typography
        variant="caption"
        color="textSecondary"
        data-testid="rationale-source"
      >
        {rationaleSourceText(plan, t)}
      </Typography>
    </Box>
  );
}

/** The risk level, the rules that set it and the warnings beside them. */
function PlanRisk({ plan }: { plan: OperationPlan }) {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const rules = plan.risk.reasons.filter(r => !r.warning);
  const warnings = plan.risk.reasons.filter(r => r.warning);
  return (
    <Box mt={2}>
      <Box display="flex" alignItems="center">
        <Typography variant="h6" style={{ marginRight: 8 }}>
          {t('review.risk')}
        </Typography>
        <RiskChip level={plan.risk.level} />
      </Box>
      {rules.length === 0 && (
        <Typography variant="body2" data-testid="risk-rationale">
          {describeRiskWithoutRules(plan, t)}
        </Typography>
      )}
      {rules.length > 0 && (
        <List dense aria-label={t('review.riskRules')}>
          {rules.map(reason => (
            <ListItem key={`${reason.rule}-${reason.message}`}>
              <ListItemText
                primary={
                  <>
                    <code>{reason.rule}</code>
                    {reason.level && (
                      <Chip
                        size="small"
                        label={t(`plans.risk.${reason.level}`)}
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
  );
}

/** The approvals and rejections so far, with their comments. */
function PlanDecisions({ plan }: { plan: OperationPlan }) {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (plan.approvals.length === 0) return null;
  return (
    <Box mt={2}>
      <Typography variant="h6">{t('review.decisions')}</Typography>
      {plan.approvals.map(approval => (
        <Typography variant="body2" key={`${approval.by}-${approval.at}`}>
          {formatUser(approval.by)} {t(`review.decision.${approval.decision}`)}
          {approval.comment ? `: “${approval.comment}”` : ''}
        </Typography>
      ))}
    </Box>
  );
}

/** What happened when it ran: failure, rollback, result, rollout, revert. */
function PlanOutcome({ plan }: { plan: OperationPlan }) {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const rolledBack = plan.execution?.outcome === 'rolled-back';
  return (
    <>
      {rolledBack && (
        <Box mt={2}>
          <Alert severity="error" data-testid="rolled-back">
            <AlertTitle>
              {t('review.rolledBack', {
                reason:
                  plan.error ??
                  plan.execution?.message ??
                  t('review.rolloutFailed'),
              })}
            </AlertTitle>
            {t('review.rolledBackHint')}
          </Alert>
        </Box>
      )}
      {plan.error && !rolledBack && (
        <Box mt={2}>
          <Alert severity="error">
            <AlertTitle>{t('review.failedTitle')}</AlertTitle>
            {plan.error}
          </Alert>
        </Box>
      )}
      {plan.execution && (
        <Box mt={2}>
          <ExecutionResult
            title={t('review.execution')}
            result={plan.execution}
          />
        </Box>
      )}
      {(plan.status === 'executed' || plan.status === 'reverted') && (
        <Box mt={1}>
          <RolloutProgress plan={plan} />
        </Box>
      )}
      {plan.revert && (
        <Box mt={2}>
          <ExecutionResult title={t('review.revert')} result={plan.revert} />
        </Box>
      )}
      {(plan.revertOf || plan.revertPlanId) && (
        <Box mt={2}>
          <RevertNotice plan={plan} />
        </Box>
      )}
    </>
  );
}

/** The heading over the plan's action: future before execution, past after. */
export function whatHeading(
  plan: Pick<OperationPlan, 'status'>,
  t: KubecopilotT,
): string {
  switch (plan.status) {
    case 'executed':
    case 'reverted':
      return t('review.what.executed');
    case 'failed':
      return t('review.what.failed');
    case 'rejected':
    case 'expired':
      return t('review.what.proposed');
    case 'executing':
      return t('review.what.executing');
    default:
      return t('review.what.pending');
  }
}

/**
 * The risk in words when no rule fired: the engine's rationale repeats the
 * level ("low: no risk rule applies"), which the chip beside it says.
 */
export function describeRiskWithoutRules(
  plan: Pick<OperationPlan, 'risk'>,
  t: KubecopilotT,
): string {
  const text = plan.risk.rationale
    .replace(new RegExp(`^${plan.risk.level}:\\s*`, 'i'), '')
    .trim();
  if (!text || /^no risk rule applies$/i.test(text)) {
    return t('review.noRiskRule');
  }
  return text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1);
}

/** The action's parameters in words; a canary reads as its rollout. */
export function describeParams(plan: OperationPlan, t: KubecopilotT): string {
  const p = plan.params as Record<string, unknown>;
  if (plan.action === 'canary' && typeof p.image === 'string') {
    const steps = Array.isArray(p.steps) ? (p.steps as number[]) : [];
    const conditions = [
      typeof p.maxErrorRate === 'number'
        ? t('review.params.canaryErrorRate', {
            percent: String(+(p.maxErrorRate * 100).toFixed(3)),
          })
        : undefined,
      typeof p.maxP99LatencyMs === 'number'
        ? t('review.params.canaryP99', { ms: String(p.maxP99LatencyMs) })
        : undefined,
    ].filter(Boolean);
    return `: ${String(p.previousImage ?? '?')} → ${p.image}${
      steps.length
        ? t('review.params.canaryAt', {
            steps: steps.map(w => `${w}%`).join(' → '),
          })
        : ''
    }${
      conditions.length
        ? t('review.params.canaryRollbackIf', {
            conditions: conditions.join(t('review.params.or')),
          })
        : t('review.params.canaryNoGate')
    }${p.confirmPromotion ? t('review.params.canaryConfirm') : ''}`;
  }
  if (plan.action === 'rollback') {
    // The stored templates are whole pod templates: say what moves, not them.
    const images = (template: any) =>
      (template?.spec?.containers ?? []).map((c: any) => c.image).join(', ') ||
      '?';
    return `${
      typeof p.toRevision === 'number'
        ? t('review.params.rollbackTo', { revision: String(p.toRevision) })
        : t('review.params.rollbackBefore')
    }: ${images(p.previousTemplate)} → ${images(p.template)}`;
  }
  const entries = Object.entries(p);
  return entries.length > 0
    ? t('review.params.with', {
        params: entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', '),
      })
    : '';
}
