import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { PlanFilter, PlanStore, StoredPlan } from './types';

export interface PlanAccessOptions {
  store: PlanStore;
  permissions: PermissionsService;
  rules: PermissionRuleset<StoredPlan, PlanFilter>;
  auditor?: AuditorService;
  logger: LoggerService;
}

/**
 * Who may do what to a plan, in one place: every service that changes a plan
 * (drafting, decisions, execution, steps) loads it through here, and tells
 * Backstage's auditor through here.
 */
export class PlanAccess {
  private readonly isAllowed: ReturnType<
    typeof createConditionAuthorizer<StoredPlan, PlanFilter>
  >;

  constructor(private readonly options: PlanAccessOptions) {
    this.isAllowed = createConditionAuthorizer(options.rules);
  }

  async load(id: string): Promise<StoredPlan> {
    const stored = await this.options.store.getPlan(id);
    if (!stored) throw new NotFoundError(`Plan '${id}' not found`);
    return stored;
  }

  /**
   * Loads a plan the caller may act on with a resource permission. An
   * unconditional DENY answers 403 before the plan is looked up, so a denied
   * caller cannot probe which plans exist; conditions are evaluated here.
   */
  async loadAuthorized(
    id: string,
    permission: ResourcePermission<'kubecopilot-plan'>,
    credentials: BackstageCredentials,
    what: string,
  ): Promise<StoredPlan> {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    const denied = () =>
      new NotAllowedError(
        `You are not allowed to ${what} (${permission.name})`,
      );
    if (decision.result === AuthorizeResult.DENY) throw denied();
    const stored = await this.load(id);
    if (!this.isAllowed(decision, stored)) throw denied();
    return stored;
  }

  async requireBasic(
    permission: BasicPermission,
    credentials: BackstageCredentials,
    what: string,
  ) {
    const [decision] = await this.options.permissions.authorize(
      [{ permission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to ${what} (${permission.name})`,
      );
    }
  }

  async emitAuditorEvent(
    eventId: string,
    plan: OperationPlan,
    actor: string,
    error?: Error,
  ) {
    if (!this.options.auditor) return;
    try {
      const event = await this.options.auditor.createEvent({
        eventId,
        severityLevel: plan.risk.level === 'high' ? 'high' : 'medium',
        meta: {
          planId: plan.id,
          entityRef: plan.entityRef,
          actor,
          action: plan.action,
          resource: plan.resource,
          status: plan.status,
        },
      });
      await (error ? event.fail({ error }) : event.success());
    } catch (e) {
      this.options.logger.warn(`Could not emit auditor event ${eventId}: ${e}`);
    }
  }
}
