import { z } from 'zod';
import type { RiskContext, RiskEffect, RiskRule } from '../risk/types';
import type { KubecopilotRiskRule } from './types';

const effectSchema = z.union([
  z.object({
    level: z.enum(['low', 'medium', 'high']),
    message: z.string().min(1).max(500),
  }),
  z.object({ warning: z.literal(true), message: z.string().min(1).max(500) }),
]);

/**
 * A module's risk rule as the engine runs it. The engine keeps the highest
 * floor any rule sets, so a module's `level` can raise a plan's level and
 * never lower what a built-in rule decided. The rule judges a copy of the
 * change; an answer that is not a valid effect, like a rule that throws,
 * makes the plan high risk rather than look safe.
 */
export function toRiskRule(rule: KubecopilotRiskRule): RiskRule {
  return {
    name: rule.name,
    description: rule.description,
    evaluate(context: RiskContext): RiskEffect | undefined {
      const answer = rule.evaluate(structuredClone(context));
      if (answer === undefined || answer === null) return undefined;
      const parsed = effectSchema.safeParse(answer);
      if (!parsed.success) {
        return {
          level: 'high',
          message:
            'the module rule answered something that is not a risk effect; treated as high risk',
        };
      }
      return parsed.data;
    },
  };
}
