import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionAuthorizer,
  createConditionTransformer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  kubecopilotPlanReadPermission,
  OperationPlan,
  PlanListResponse,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  PlanFilter,
  PlanListQuery,
  PlanReader,
  PlanStore,
  StoredPlan,
} from './types';

/**
 * Plan reads with `kubecopilot.plan.read` enforced. Conditional decisions are
 * evaluated here with the plan rules (lists: as SQL), which saves the
 * permission backend a round trip to this plugin's apply-conditions endpoint.
 */
export class AuthorizedPlanReader implements PlanReader {
  private readonly store: PlanStore;
  private readonly permissions: PermissionsService;
  private readonly isAllowed: (
    decision: PolicyDecision,
    plan: StoredPlan | undefined,
  ) => boolean;
  private readonly toFilter: ConditionTransformer<PlanFilter>;

  constructor(options: {
    store: PlanStore;
    permissions: PermissionsService;
    rules: PermissionRuleset<StoredPlan, PlanFilter>;
  }) {
    this.store = options.store;
    this.permissions = options.permissions;
    this.isAllowed = createConditionAuthorizer(options.rules);
    this.toFilter = createConditionTransformer(options.rules);
  }

  async getPlan(
    id: string,
    options: { credentials: BackstageCredentials },
  ): Promise<OperationPlan> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: kubecopilotPlanReadPermission }],
      { credentials: options.credentials },
    );
    // Denied callers learn nothing, not even whether the plan exists.
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(`Not allowed to read plan '${id}'`);
    }
    const stored = await this.store.getPlan(id);
    if (!stored) {
      throw new NotFoundError(`Plan '${id}' not found`);
    }
    if (!this.isAllowed(decision, stored)) {
      throw new NotAllowedError(`Not allowed to read plan '${id}'`);
    }
    return stored.plan;
  }

  async listPlans(
    query: PlanListQuery,
    options: { credentials: BackstageCredentials },
  ): Promise<PlanListResponse> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: kubecopilotPlanReadPermission }],
      { credentials: options.credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      return { items: [] };
    }
    const page = await this.store.listPlans({
      ...query,
      ...(decision.result === AuthorizeResult.CONDITIONAL && {
        filter: this.toFilter(decision.conditions),
      }),
    });
    return {
      items: page.items.map(item => item.plan),
      ...(page.nextCursor && { nextCursor: page.nextCursor }),
    };
  }
}
