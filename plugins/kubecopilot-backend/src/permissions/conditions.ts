import { createConditionExports } from '@backstage/plugin-permission-node';
import { entityResourceRef, planResourceRef } from './resource';
import { entityRules, planRules } from './rules';

const plan = createConditionExports({
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
export const kubecopilotPlanConditions = plan.conditions;

/**
 * Builds a conditional decision for a `kubecopilot-plan` resource permission
 * (`kubecopilot.plan.read`, `.approve`, `.execute`, `.revert`).
 *
 * @public
 */
export const createKubecopilotPlanConditionalDecision =
  plan.createConditionalDecision;

const entity = createConditionExports({
  resourceRef: entityResourceRef,
  rules: entityRules,
});

/**
 * Conditions on the entity an audit entry or a stored diagnosis is about,
 * e.g. `kubecopilotEntityConditions.isEntityOwner({ claims:
 * user.info.ownershipEntityRefs })` (ownership as the catalog's `ownedBy`
 * relations say) or `kubecopilotEntityConditions.isEntityRef({ entityRefs:
 * ['component:default/checkout'] })`.
 *
 * @public
 */
export const kubecopilotEntityConditions = entity.conditions;

/**
 * Builds a conditional decision for a `kubecopilot-entity` resource
 * permission (`kubecopilot.audit.read`, `kubecopilot.diagnosis.read`).
 *
 * @public
 */
export const createKubecopilotEntityConditionalDecision =
  entity.createConditionalDecision;
