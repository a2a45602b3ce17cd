import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AuditListResponse,
  kubecopilotAuditReadPermission,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { EntityReadAccess } from '../permissions/EntityReadAccess';
import { PlanReader } from '../plans/types';
import { AuditStore, AuditVerification } from './types';

/** `GET /audit` query, as parsed from the request. */
export interface AuditListQuery {
  planId?: string;
  entityRef?: string;
  cursor?: string;
  limit: number;
}

/**
 * Audit reads with `kubecopilot.audit.read` enforced, entity by entity: a
 * conditional decision lists only the entries of entities it matches (as
 * SQL), and entries about no entity need an unconditional allow. A plan's
 * entries also need `kubecopilot.plan.read` on that plan.
 */
export class AuthorizedAuditReader {
  private readonly store: AuditStore;
  private readonly plans: PlanReader;
  private readonly access: EntityReadAccess;

  constructor(options: {
    store: AuditStore;
    plans: PlanReader;
    access: EntityReadAccess;
  }) {
    this.store = options.store;
    this.plans = options.plans;
    this.access = options.access;
  }

  async list(
    query: AuditListQuery,
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<AuditListResponse> {
    const decision = await this.access.decide(
      kubecopilotAuditReadPermission,
      credentials,
    );
    if (decision.result === AuthorizeResult.DENY) throw notAllowed();
    // 403 or 404 exactly as GET /plans/:id answers the same caller.
    const plan = query.planId
      ? await this.plans.getPlan(query.planId, { credentials })
      : undefined;
    // A plan's entries are about the plan's entity: one entity to check,
    // instead of a filter over all the caller may read.
    const entityRef = query.entityRef ?? plan?.entityRef;
    if (entityRef) {
      if (!(await this.access.allows(decision, entityRef, credentials))) {
        return { items: [] };
      }
      return this.store.listPage({ ...query, entityRef });
    }
    const filter = await this.access.toFilter(decision, credentials);
    return this.store.listPage({ ...query, ...(filter && { filter }) });
  }

  /**
   * Whether the whole chain holds. Any audit reader may ask: the answer is
   * counts and at most an entry id, never an entry's content.
   */
  async verify({
    credentials,
  }: {
    credentials: BackstageCredentials;
  }): Promise<AuditVerification> {
    const decision = await this.access.decide(
      kubecopilotAuditReadPermission,
      credentials,
    );
    if (decision.result === AuthorizeResult.DENY) throw notAllowed();
    return this.store.verify();
  }
}

function notAllowed() {
  return new NotAllowedError(
    'You are not allowed to read the audit log (kubecopilot.audit.read)',
  );
}
