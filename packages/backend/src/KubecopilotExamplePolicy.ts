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
  createKubecopilotPlanConditionalDecision,
  kubecopilotPlanConditions,
} from '@kubecopilot/backstage-plugin-kubecopilot-backend';
import {
  kubecopilotPlanApprovePermission,
  kubecopilotPlanExecutePermission,
  kubecopilotPlanRevertPermission,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** Options of the example policy (`kubecopilot.examplePolicy.*`). */
export interface KubecopilotExamplePolicyOptions {
  /** Members may approve, execute and revert any plan, high risk included. */
  highRiskGroup: string;
  /** Resolves the signed-in user's ownership claims. */
  getUserInfo(user: PolicyQueryUser): Promise<BackstageUserInfo>;
}

/**
 * KubeCopilot's example permission policy:
 * - members of `highRiskGroup` (default `group:default/sre`) may approve,
 *   execute and revert every plan;
 * - everyone else may do so only for low and medium risk plans of entities
 *   they own (their user or one of their groups owns the entity);
 * - diagnose, draft plans, read plans and the audit log: every signed-in user;
 * - every other permission in the portal is allowed, as in a fresh Backstage.
 *
 * KubeCopilot itself also refuses a high-risk plan's approval by its own
 * requester (`kubecopilot.approval.secondApproverFor`), whatever the policy.
 */
export class KubecopilotExamplePolicy implements PermissionPolicy {
  constructor(private readonly options: KubecopilotExamplePolicyOptions) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const guarded = [
      kubecopilotPlanApprovePermission,
      kubecopilotPlanExecutePermission,
      kubecopilotPlanRevertPermission,
    ].find(p => isPermission(request.permission, p));
    if (!guarded) return { result: AuthorizeResult.ALLOW };
    if (!user) return { result: AuthorizeResult.DENY };

    const { ownershipEntityRefs } = await this.options.getUserInfo(user);
    const claims = ownershipEntityRefs.map(ref => ref.toLocaleLowerCase('en-US'));
    if (claims.includes(this.options.highRiskGroup.toLocaleLowerCase('en-US'))) {
      return { result: AuthorizeResult.ALLOW };
    }
    return createKubecopilotPlanConditionalDecision(guarded, {
      allOf: [
        kubecopilotPlanConditions.isRiskLevel({ levels: ['low', 'medium'] }),
        kubecopilotPlanConditions.isEntityOwner({ claims }),
      ],
    });
  }
}
