import {
  OperationPlan,
  PlanGate,
  PlanStep,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import CircularProgress from '@material-ui/core/CircularProgress';
import Collapse from '@material-ui/core/Collapse';
import LinearProgress from '@material-ui/core/LinearProgress';
import Step from '@material-ui/core/Step';
import StepContent from '@material-ui/core/StepContent';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import PauseCircleFilledIcon from '@material-ui/icons/PauseCircleFilled';
import RadioButtonUncheckedIcon from '@material-ui/icons/RadioButtonUnchecked';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import { useState } from 'react';
import { RiskChip } from '../PlansTable';
import { formatUser } from '../PlansTable/format';
import { DiffView } from './DiffView';
import { rollbackRan, stepProgress } from './planActions';
import {
  describeSampling,
  describeThreshold,
  describeVerdict,
  formatDuration,
  formatGateValue,
} from './stepFormat';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useLocale } from '../../hooks/useLocale';
import { kubecopilotTranslationRef } from '../../translation';

const useStyles = makeStyles(theme => ({
  stepper: {
    padding: theme.spacing(1, 0),
    background: 'transparent',
  },
  succeeded: { color: theme.palette.success.main },
  failed: { color: theme.palette.error.main },
  waiting: { color: theme.palette.warning.main },
  idle: { color: theme.palette.text.disabled },
  query: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    margin: theme.spacing(1, 0),
    padding: theme.spacing(1),
    background: theme.palette.background.default,
    borderRadius: theme.shape.borderRadius,
  },
  measurements: { maxWidth: 520 },
  title: { marginRight: theme.spacing(1) },
}));

function StepStatusIcon(props: { status: PlanStep['status'] }) {
  const classes = useStyles();
  // Decorative: the chip beside the title says the status in words.
  switch (props.status) {
    case 'running':
      return <CircularProgress size={22} aria-hidden />;
    case 'waiting':
      return <PauseCircleFilledIcon className={classes.waiting} />;
    case 'succeeded':
      return <CheckCircleIcon className={classes.succeeded} />;
    case 'failed':
      return <ErrorIcon className={classes.failed} />;
    case 'skipped':
      return <RemoveCircleOutlineIcon className={classes.idle} />;
    default:
      return <RadioButtonUncheckedIcon className={classes.idle} />;
  }
}

function time(iso: string, locale?: string) {
  return new Date(iso).toLocaleTimeString(locale);
}

function StepTiming(props: { step: PlanStep }) {
  const { step } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const locale = useLocale();
  if (!step.startedAt && !step.finishedAt) return null;
  const parts: string[] = [];
  if (step.startedAt) {
    parts.push(t('steps.started', { time: time(step.startedAt, locale) }));
  }
  if (step.finishedAt) {
    parts.push(t('steps.finished', { time: time(step.finishedAt, locale) }));
  }
  const duration = formatDuration(step.startedAt, step.finishedAt);
  if (duration) {
    parts.push(
      step.finishedAt
        ? t('steps.took', { duration })
        : t('steps.for', { duration }),
    );
  }
  if (step.by) parts.push(t('steps.by', { user: formatUser(step.by) }));
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      component="div"
      data-testid="step-timing"
    >
      {parts.join(' · ')}
    </Typography>
  );
}

function GateDetails(props: { step: PlanStep; gate: PlanGate }) {
  const { step, gate } = props;
  const classes = useStyles();
  const [showQuery, setShowQuery] = useState(false);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const locale = useLocale();
  const measurements = step.measurements ?? [];
  return (
    <Box data-testid="gate-details">
      <Typography variant="body2">
        {t('steps.passesWhen')} <strong>{describeThreshold(gate, t)}</strong> ·{' '}
        {describeSampling(gate, t)}
      </Typography>
      <Button
        size="small"
        onClick={() => setShowQuery(open => !open)}
        aria-expanded={showQuery}
      >
        {showQuery ? t('steps.hideQuery') : t('steps.showQuery')}
      </Button>
      <Collapse in={showQuery} unmountOnExit>
        <pre className={classes.query} data-testid="gate-query">
          {gate.query}
        </pre>
      </Collapse>
      {measurements.length > 0 && (
        <>
          <Table
            size="small"
            className={classes.measurements}
            aria-label={t('steps.measurements', { metric: gate.metric })}
          >
            <TableHead>
              <TableRow>
                <TableCell>{t('steps.at')}</TableCell>
                <TableCell>{gate.metric}</TableCell>
                <TableCell>{t('steps.result')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {measurements.map((m, i) => (
                <TableRow key={`${m.at}-${i}`}>
                  <TableCell>{time(m.at, locale)}</TableCell>
                  <TableCell>
                    {formatGateValue(m.value, gate.unit ?? 'number', t)}
                  </TableCell>
                  <TableCell>
                    <Box display="flex" alignItems="center">
                      {m.passed === true && (
                        <CheckCircleIcon
                          fontSize="small"
                          className={classes.succeeded}
                        />
                      )}
                      {m.passed === false && (
                        <ErrorIcon
                          fontSize="small"
                          className={classes.failed}
                        />
                      )}
                      <Box ml={0.5}>{describeVerdict(m.passed, t)}</Box>
                    </Box>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Typography variant="caption" color="textSecondary">
            {t('steps.samplesOf', {
              count: gate.samples,
              done: String(measurements.length),
            })}
          </Typography>
        </>
      )}
    </Box>
  );
}

function ActionDetails(props: { step: PlanStep }) {
  const { diff } = props.step;
  const [open, setOpen] = useState(false);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (!diff || (!diff.before && !diff.after)) return null;
  return (
    <Box>
      <Button
        size="small"
        onClick={() => setOpen(o => !o)}
        aria-expanded={open}
      >
        {open ? t('steps.hideChange') : t('steps.showChange')}
      </Button>
      {open && <DiffView diff={diff} />}
    </Box>
  );
}

function StepList(props: { steps: PlanStep[]; label: string }) {
  const { steps, label } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Stepper
      orientation="vertical"
      nonLinear
      className={classes.stepper}
      aria-label={label}
    >
      {steps.map(step => (
        <Step
          key={step.id}
          expanded
          active={step.status === 'running' || step.status === 'waiting'}
          completed={step.status === 'succeeded'}
          data-testid={`plan-step-${step.id}`}
        >
          <StepLabel
            icon={<StepStatusIcon status={step.status} />}
            error={step.status === 'failed'}
          >
            <Box
              component="span"
              display="flex"
              alignItems="center"
              flexWrap="wrap"
            >
              <span className={classes.title}>{step.title}</span>
              <Chip
                size="small"
                variant="outlined"
                label={t(`steps.status.${step.status}`)}
              />
              {step.risk && (
                <Tooltip title={step.risk.rationale}>
                  <span style={{ marginLeft: 4 }}>
                    <RiskChip level={step.risk.level} />
                  </span>
                </Tooltip>
              )}
            </Box>
          </StepLabel>
          <StepContent>
            {step.result && (
              <Typography variant="body2" data-testid="step-result">
                {step.result}
              </Typography>
            )}
            <StepTiming step={step} />
            {step.type === 'gate' && step.gate && (
              <GateDetails step={step} gate={step.gate} />
            )}
            {step.type === 'action' && <ActionDetails step={step} />}
          </StepContent>
        </Step>
      ))}
    </Stepper>
  );
}

/**
 * The steps of a multi-step plan (canary): the rollout in order, then the
 * rollback group, open only when a rollback step ran.
 */
export function PlanSteps(props: { plan: OperationPlan }) {
  const steps = props.plan.steps ?? [];
  const [showRollback, setShowRollback] = useState(false);
  const rollout = steps.filter(s => (s.phase ?? 'rollout') === 'rollout');
  const rollback = steps.filter(s => s.phase === 'rollback');
  const ran = rollbackRan(steps);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Box data-testid="plan-steps">
      <Typography variant="h6">{t('steps.title')}</Typography>
      <StepList steps={rollout} label={t('steps.rolloutSteps')} />
      {rollback.length > 0 && (
        <Accordion
          expanded={ran || showRollback}
          onChange={(_event, expanded) => setShowRollback(expanded)}
          TransitionProps={{ unmountOnExit: true }}
          data-testid="rollback-steps"
        >
          <AccordionSummary
            expandIcon={<ExpandMoreIcon />}
            aria-controls="plan-rollback-steps"
            id="plan-rollback-steps-header"
          >
            <Box>
              <Typography variant="subtitle1">
                {t('steps.rollback', { count: rollback.length })}
              </Typography>
              <Typography variant="caption" color="textSecondary">
                {ran ? t('steps.rolledBack') : t('steps.rollbackWhen')}
              </Typography>
            </Box>
          </AccordionSummary>
          <AccordionDetails id="plan-rollback-steps">
            <Box width="100%">
              <StepList steps={rollback} label={t('steps.rollbackSteps')} />
            </Box>
          </AccordionDetails>
        </Accordion>
      )}
    </Box>
  );
}

/** "Step k of n" with a bar, while a multi-step plan runs or waits. */
export function StepsProgress(props: { plan: OperationPlan }) {
  const progress = stepProgress(props.plan);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (!progress) return null;
  const { phase, current, total, step, percent } = progress;
  const running = props.plan.status === 'executing';
  const numbers = { current: String(current), total: String(total) };
  const label =
    phase === 'rollback'
      ? t('steps.progressRollingBack', numbers)
      : t('steps.progressRollout', numbers);
  return (
    <Box data-testid="steps-progress" mt={1}>
      <Typography variant="body2">
        {label}
        {step ? ` — ${step.title}` : ''}
      </Typography>
      <LinearProgress
        aria-label={label}
        variant={running ? 'buffer' : 'determinate'}
        value={percent}
        valueBuffer={Math.min(100, Math.round((current / total) * 100))}
      />
    </Box>
  );
}
