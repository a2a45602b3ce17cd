import {
  PlanRisk,
  RiskLevel,
  RiskReason,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { defaultRiskRules } from './rules';
import { RiskContext, RiskRule } from './types';

const ORDER: RiskLevel[] = ['low', 'medium', 'high'];

/**
 * Scores a plan with deterministic, named rules: the level is the highest
 * floor any rule set, raised one step per `raise` rule (capped at high).
 * Every rule that fired is named in the rationale.
 */
export class RuleBasedRiskEngine {
  constructor(private readonly rules: RiskRule[] = defaultRiskRules) {}

  assess(context: RiskContext): PlanRisk {
    const reasons: RiskReason[] = [];
    let floor = 0;
    let raises = 0;
    for (const rule of this.rules) {
      let effect;
      try {
        effect = rule.evaluate(context);
      } catch (error) {
        // A rule that cannot judge must not make the plan look safe.
        effect = {
          level: 'high' as const,
          message: `rule failed (${(error as Error).message}); treated as high risk`,
        };
      }
      if (!effect) continue;
      if ('level' in effect) {
        floor = Math.max(floor, ORDER.indexOf(effect.level));
        reasons.push({ rule: rule.name, level: effect.level, message: effect.message });
      } else if ('raise' in effect) {
        raises += 1;
        reasons.push({ rule: rule.name, message: `${effect.message} (raises the level by one)` });
      } else {
        reasons.push({ rule: rule.name, warning: true, message: effect.message });
      }
    }
    const level = ORDER[Math.min(ORDER.length - 1, floor + raises)];
    const rationale =
      reasons.length === 0
        ? 'low: no risk rule applies'
        : `${level}: ${reasons.map(r => `[${r.rule}] ${r.message}`).join('; ')}`;
    return { level, rationale, reasons };
  }
}
