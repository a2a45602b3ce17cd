import { BackstageUserInfo } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  createKubecopilotEntityConditionalDecision,
  createKubecopilotPlanConditionalDecision,
  kubecopilotEntityConditions,
  kubecopilotPlanConditions,
} from '@kubecopilot/backstage-plugin-kubecopilot-backend';
import {
  kubecopilotEntityPermissions,
  kubecopilotPlanApprovePermission,
  kubecopilotPlanExecutePermission,
  kubecopilotPlanReadPermission,
  kubecopilotPlanRevertPermission,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** Options of the example policy (`kubecopilot.examplePolicy.*`). */
export interface KubecopilotExamplePolicyOptions {
  /** Members read everything and may approve, execute and revert any plan, high risk included. */
  highRiskGroup: string;
  /** Resolves the signed-in user's ownership claims. */
  getUserInfo(user: PolicyQueryUser): Promise<BackstageUserInfo>;
}

const planDecisions = [
  kubecopilotPlanApprovePermission,
  kubecopilotPlanExecutePermission,
  kubecopilotPlanRevertPermission,
];

/**
 * KubeCopilot's example permission policy:
 * - members of `highRiskGroup` (default `group:default/sre`) read every
 *   plan, audit entry and stored diagnosis, and may approve, execute and
 *   revert every plan;
 * - everyone else reads the plans, audit entries and stored diagnoses of
 *   entities they own (their user or one of their groups owns the entity),
 *   and may approve, execute and revert only their low and medium risk plans;
 * - diagnose and draft plans: every signed-in user;
 * - every other permission in the portal is allowed, as in a fresh Backstage.
 *
 * Service principals (other backends) never reach a policy: the permission
 * framework allows them, within their `backend.auth.externalAccess`
 * restrictions. KubeCopilot itself also refuses a high-risk plan's approval
 * by its own requester (`kubecopilot.approval.secondApproverFor`), whatever
 * the policy.
 */
export class KubecopilotExamplePolicy implements PermissionPolicy {
  constructor(private readonly options: KubecopilotExamplePolicyOptions) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const planDecision = planDecisions.find(p => isPermission(permission, p));
    const entityRead = kubecopilotEntityPermissions.find(p => isPermission(permission, p));
    const planRead = isPermission(permission, kubecopilotPlanReadPermission);
    if (!planDecision && !entityRead && !planRead) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) return { result: AuthorizeResult.DENY };

    const { ownershipEntityRefs } = await this.options.getUserInfo(user);
    const claims = ownershipEntityRefs.map(ref => ref.toLocaleLowerCase('en-US'));
    if (claims.includes(this.options.highRiskGroup.toLocaleLowerCase('en-US'))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (entityRead) {
      return createKubecopilotEntityConditionalDecision(
        entityRead,
        kubecopilotEntityConditions.isEntityOwner({ claims }),
      );
    }
    const owned = kubecopilotPlanConditions.isEntityOwner({ claims });
    if (planDecision) {
      return createKubecopilotPlanConditionalDecision(planDecision, {
        allOf: [kubecopilotPlanConditions.isRiskLevel({ levels: ['low', 'medium'] }), owned],
      });
    }
    return createKubecopilotPlanConditionalDecision(kubecopilotPlanReadPermission, owned);
  }
}
