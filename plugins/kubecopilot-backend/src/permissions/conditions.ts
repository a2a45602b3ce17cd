import { createConditionExports } from '@backstage/plugin-permission-node';
import { planResourceRef } from './resource';
import { planRules } from './rules';

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: planResourceRef,
  rules: planRules,
});

/**
 * Conditions on operation plans for permission policies, e.g.
 * `kubecopilotPlanConditions.isRiskLevel({ levels: ['low', 'medium'] })` or
 * `kubecopilotPlanConditions.isEntityOwner({ claims: user.info.ownershipEntityRefs })`.
 *
 * @public
 */
export const kubecopilotPlanConditions = conditions;

/**
 * Builds a conditional decision for a `kubecopilot-plan` resource permission
 * (`kubecopilot.plan.read`, `.approve`, `.execute`, `.revert`).
 *
 * @public
 */
export const createKubecopilotPlanConditionalDecision =
  createConditionalDecision;
