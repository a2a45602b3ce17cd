export { RuleBasedRiskEngine } from './RuleBasedRiskEngine';
export { defaultRiskRules } from './rules';
export type {
  ErrorBudgetFact,
  KubeObject,
  RiskContext,
  RiskEffect,
  RiskRule,
} from './types';
