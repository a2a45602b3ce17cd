import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  AuditEntry,
  OperationPlan,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AuthorizedAlertReader } from '../alerts/AuthorizedAlertReader';
import type { AuthorizedAuditReader } from '../audit/AuthorizedAuditReader';
import type { DiagnosisService } from '../diagnosis/types';
import { readEntityEvents } from '../events/readEntityEvents';
import type { AuthorizedFindingReader } from '../findings/AuthorizedFindingReader';
import type { KubernetesBackendClient } from '../kubernetes/types';
import type { PlanReader } from '../plans/types';
import { EntityEvent, PostmortemInput } from './types';

const AUDIT_PAGE = 200;
/** The most audit entries a draft reads, newest first. */
const MAX_AUDIT = 5_000;

/**
 * Reads what a postmortem is made from, all with the caller's credentials
 * and through the same authorized readers as the HTTP API: a caller sees in
 * a postmortem only what they may read anyway. A cluster that cannot be
 * read makes the draft partial (`errors`), not fail.
 */
export class PostmortemSources {
  constructor(
    private readonly options: {
      kubernetes: KubernetesBackendClient;
      findings: AuthorizedFindingReader;
      alerts: AuthorizedAlertReader;
      diagnoses: DiagnosisService;
      audit: AuthorizedAuditReader;
      plans: PlanReader;
    },
  ) {}

  async gather(
    entityRef: string,
    from: Date,
    to: Date,
    credentials: BackstageCredentials,
  ): Promise<PostmortemInput> {
    const errors: string[] = [];
    const [events, findings, alerts, diagnoses, audit, verification] =
      await Promise.all([
        this.events(entityRef, credentials, errors),
        this.options.findings.list({ entityRef, limit: 1000 }, { credentials }),
        this.options.alerts.list({ entityRef, limit: 1000 }, { credentials }),
        this.options.diagnoses.listDiagnoses(entityRef, {
          limit: 200,
          credentials,
        }),
        this.auditSince(entityRef, from, credentials),
        this.options.audit.verify({ credentials }),
      ]);
    const plans = new Map<string, OperationPlan>();
    for (const planId of new Set(
      audit.flatMap(e => (e.planId ? [e.planId] : [])),
    )) {
      try {
        plans.set(
          planId,
          await this.options.plans.getPlan(planId, { credentials }),
        );
      } catch (error) {
        errors.push(`plan ${planId}: ${(error as Error).message}`);
      }
    }
    return {
      entityRef,
      from,
      to,
      events,
      findings,
      alerts,
      diagnoses,
      audit,
      plans,
      verification,
      errors,
    };
  }

  /** The entity's audit entries, newest first, back to `from`. */
  private async auditSince(
    entityRef: string,
    from: Date,
    credentials: BackstageCredentials,
  ): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.options.audit.list(
        { entityRef, limit: AUDIT_PAGE, ...(cursor && { cursor }) },
        { credentials },
      );
      entries.push(...page.items);
      const oldest = page.items[page.items.length - 1];
      cursor =
        oldest && Date.parse(oldest.createdAt) >= from.getTime()
          ? page.nextCursor
          : undefined;
    } while (cursor && entries.length < MAX_AUDIT);
    return entries;
  }

  /** Events of the entity's objects, in every cluster and namespace it runs in. */
  private async events(
    entityRef: string,
    credentials: BackstageCredentials,
    errors: string[],
  ): Promise<EntityEvent[]> {
    let read;
    try {
      read = await readEntityEvents(
        this.options.kubernetes,
        entityRef,
        credentials,
      );
    } catch (error) {
      errors.push(`Kubernetes objects: ${(error as Error).message}`);
      return [];
    }
    errors.push(
      ...read.errors.map(e => `cluster '${e.cluster}': ${e.message}`),
    );
    return read.events.map(e => ({
      uid: e.uid,
      cluster: e.cluster,
      at: e.lastTime,
      type: e.type,
      reason: e.reason,
      message: e.message,
      object: `${e.object.kind} ${e.namespace}/${e.object.name}`,
      count: e.count,
    }));
  }
}
