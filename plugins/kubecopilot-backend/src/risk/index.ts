export { RuleBasedRiskEngine } from './RuleBasedRiskEngine';
export { defaultRiskRules } from './rules';
export type { KubeObject, RiskContext, RiskEffect, RiskRule } from './types';
