import { RiskContext, RiskEffect, RiskRule } from './types';

const percent = (value: number) =>
  `${(Math.round(value * 1000) / 10).toLocaleString('en-US')}%`;

const times = (value: number | null | undefined) =>
  value === null || value === undefined
    ? 'no data'
    : `${Math.round(value * 10) / 10}×`;

/** Fast burn: the SRE workbook's page-worthy rate, 2% of a 30-day budget in an hour. */
export const FAST_BURN_THRESHOLD = 14.4;
/** Slow burn: 5% of a 30-day budget in six hours. */
export const SLOW_BURN_THRESHOLD = 6;

function exhausted({
  errorBudget,
  errorBudgetRemaining,
}: RiskContext): RiskEffect | undefined {
  if (errorBudget?.state === 'unknown') {
    return {
      level: 'medium',
      message: `error budget unknown${
        errorBudget.slo ? ` for SLO '${errorBudget.slo}'` : ''
      }: ${errorBudget.reason}`,
    };
  }
  if (errorBudget?.state === 'known') {
    if (errorBudget.remaining > 0) return undefined;
    return {
      level: 'high',
      message: `SLO '${errorBudget.slo}' (${percent(errorBudget.target)} over ${
        errorBudget.timeWindow
      }) has exhausted its error budget: SLI ${percent(
        errorBudget.sli,
      )}, ${percent(errorBudget.remaining)} of the budget remaining`,
    };
  }
  return errorBudgetRemaining !== undefined && errorBudgetRemaining <= 0
    ? {
        level: 'high',
        message: 'the service has exhausted its SLO error budget',
      }
    : undefined;
}

function burning({ errorBudget }: RiskContext): RiskEffect | undefined {
  if (errorBudget?.state !== 'known' || errorBudget.remaining <= 0) {
    return undefined;
  }
  const { burnRates: b, slo } = errorBudget;
  if (errorBudget.fastBurn) {
    return {
      level: 'high',
      message: `SLO '${slo}' burns its error budget ${times(
        b['1h'],
      )} the sustainable rate over 1h and ${times(
        b['5m'],
      )} over 5m (fast-burn threshold ${FAST_BURN_THRESHOLD}×); ${percent(
        errorBudget.remaining,
      )} of the budget remaining`,
    };
  }
  if (errorBudget.slowBurn) {
    return {
      warning: true,
      message: `SLO '${slo}' burns its error budget ${times(
        b['6h'],
      )} the sustainable rate over 6h and ${times(
        b['30m'],
      )} over 30m (slow-burn threshold ${SLOW_BURN_THRESHOLD}×); ${percent(
        errorBudget.remaining,
      )} of the budget remaining`,
    };
  }
  return undefined;
}

/**
 * The error budget rules: a spent budget or a fast burn makes any change
 * high risk (the service is already failing its users); a budget that
 * cannot be measured is said so, at medium, rather than passing silently.
 */
export const errorBudgetRules: RiskRule[] = [
  {
    name: 'error-budget-exhausted',
    description:
      'No risky change while the SLO error budget is spent; an unmeasurable budget is medium risk.',
    evaluate: exhausted,
  },
  {
    name: 'error-budget-burning',
    description:
      'A service burning its error budget fast (1h and 5m at 14.4×) is high risk to change.',
    evaluate: burning,
  },
];
