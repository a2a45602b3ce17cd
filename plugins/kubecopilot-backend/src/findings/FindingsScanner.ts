import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CreatePlanRequest,
  FindingRecord,
  OperationPlan,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { SEVERITY_RANK } from '../analyzers/common';
import type { DiagnosisService } from '../diagnosis/types';
import { FindingsScanConfig } from './config';
import { FindingNotifier } from './FindingNotifier';
import { scanSignatureOf } from './fingerprint';
import { FindingStore, RecordedScan } from './types';

/** Drafts a pending plan; never approves or executes (PlanDrafter). */
export interface PlanDraftingService {
  createPlan(
    request: CreatePlanRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<OperationPlan>;
}

/** What one scan did, for the log and for tests. */
export interface ScanSummary {
  entities: number;
  opened: number;
  updated: number;
  resolved: number;
  notified: number;
  plansDrafted: number;
  /** Diagnoses stored (changed, first, or heartbeat); the others were unchanged. */
  recorded: number;
  /** Entities whose diagnosis failed or was partial. */
  failed: string[];
  durationMs: number;
}

/** The Kubernetes plugin's annotations that map an entity to workloads. */
export const KUBERNETES_ANNOTATIONS = [
  'backstage.io/kubernetes-id',
  'backstage.io/kubernetes-label-selector',
];
const CATALOG_PAGE = 200;

/** `spec.owner` as the catalog resolved it (the `ownedBy` relation). */
function ownerOf(entity: Entity): string | undefined {
  const relation = entity.relations?.find(r => r.type === 'ownedBy');
  if (relation) return relation.targetRef;
  const owner = entity.spec?.owner;
  return typeof owner === 'string' ? owner : undefined;
}

/**
 * The findings scan: diagnoses every catalog entity with Kubernetes
 * annotations as the plugin itself (a service principal), keeps what the
 * diagnoses found by fingerprint, tells owners once per opening, and — when
 * configured — drafts a pending plan for a finding whose proposed fix is a
 * whitelisted action. It never approves or executes: people do.
 */
export class FindingsScanner {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      diagnoses: DiagnosisService;
      store: FindingStore;
      notifier: FindingNotifier;
      logger: LoggerService;
      config: FindingsScanConfig;
      drafter?: PlanDraftingService;
      now?: () => Date;
    },
  ) {}

  async scan(signal?: AbortSignal): Promise<ScanSummary> {
    const started = Date.now();
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const entities = await this.entities(credentials);
    const summary: ScanSummary = {
      entities: entities.length,
      opened: 0,
      updated: 0,
      resolved: 0,
      notified: 0,
      plansDrafted: 0,
      recorded: 0,
      failed: [],
      durationMs: 0,
    };
    let next = 0;
    const worker = async () => {
      while (next < entities.length && !signal?.aborted) {
        const entity = entities[next++];
        await this.scanEntity(entity, credentials, summary);
      }
    };
    await Promise.all(
      Array.from({ length: this.options.config.concurrency }, worker),
    );
    summary.durationMs = Date.now() - started;
    return summary;
  }

  private async scanEntity(
    entity: Entity,
    credentials: BackstageCredentials,
    summary: ScanSummary,
  ) {
    const entityRef = stringifyEntityRef(entity);
    const { store, logger } = this.options;
    try {
      const { diagnosis, recorded, diagnosisId } = await this.diagnose(
        entityRef,
        credentials,
      );
      if (recorded) summary.recorded += 1;
      const complete = diagnosis.errors.length === 0;
      if (!complete) summary.failed.push(entityRef);
      const result = await store.reconcile({
        entityRef,
        ownerRef: ownerOf(entity),
        findings: diagnosis.findings,
        diagnosisId,
        // Seen when the diagnosis looked, which is when its events say.
        seenAt: this.options.now?.() ?? new Date(diagnosis.createdAt),
        complete,
        recorded,
      });
      summary.opened += result.opened.length;
      summary.updated += result.updated;
      summary.resolved += result.resolved.length;
      // Every open finding not yet told (new, or a notification that failed).
      const untold = (
        await store.list({ entityRef, status: 'open', limit: 1000 })
      ).filter(
        r =>
          !r.notifiedAt &&
          SEVERITY_RANK[r.severity] >=
            SEVERITY_RANK[this.options.config.notifyMinSeverity],
      );
      const told = await this.options.notifier.findingsOpened(
        entityRef,
        untold,
      );
      await store.markNotified(entityRef, told, new Date());
      summary.notified += told.length;
      summary.plansDrafted += await this.draftPlans(result.opened, credentials);
    } catch (error) {
      summary.failed.push(entityRef);
      logger.warn(`Findings scan of ${entityRef} failed: ${error}`);
    }
  }

  /**
   * Diagnoses the entity, recording the diagnosis (and its audit entry) only
   * when what it found differs from what the scan last recorded, or that is
   * older than `recordEvery`. Unchanged, its findings are reconciled against
   * the diagnosis recorded before.
   */
  private async diagnose(entityRef: string, credentials: BackstageCredentials) {
    const { store, config } = this.options;
    const last = await store.lastRecorded(entityRef);
    let recorded: RecordedScan | undefined;
    const diagnosis = await this.options.diagnoses.diagnose(entityRef, {
      credentials,
      record: {
        when: d => {
          const signature = scanSignatureOf(d.findings, d.errors.length === 0);
          const recordedAt = new Date(d.createdAt);
          const due =
            !last ||
            last.signature !== signature ||
            recordedAt.getTime() - last.recordedAt.getTime() >=
              config.recordEveryMs;
          recorded = due
            ? { diagnosisId: d.id, signature, recordedAt }
            : undefined;
          return due;
        },
      },
    });
    return {
      diagnosis,
      recorded,
      diagnosisId: recorded?.diagnosisId ?? last?.diagnosisId ?? diagnosis.id,
    };
  }

  /** One pending plan per opened finding whose fix is a whitelisted action. */
  private async draftPlans(
    opened: FindingRecord[],
    credentials: BackstageCredentials,
  ): Promise<number> {
    const { drafter, config, store, logger } = this.options;
    if (!drafter || !config.draftPlans.enabled) return 0;
    let drafted = 0;
    const targets = new Set<string>();
    for (const record of opened) {
      const fix = record.finding.proposedFix;
      if (!fix?.action || !fix.target) continue;
      if (!config.draftPlans.actions.includes(fix.action)) continue;
      // The analyzer said this plan alone will not help: no plan for it.
      if (fix.note) continue;
      // Several findings of one cause share its fix: one plan for them.
      const key = `${record.entityRef}|${fix.action}|${fix.target.kind}|${fix.target.namespace}|${fix.target.name}`;
      if (targets.has(key)) continue;
      targets.add(key);
      try {
        const plan = await drafter.createPlan(
          {
            entityRef: record.entityRef,
            action: fix.action,
            resource: {
              cluster: record.cluster,
              kind: fix.target.kind,
              ...(fix.target.namespace && { namespace: fix.target.namespace }),
              name: fix.target.name,
            },
            ...(fix.params && { params: fix.params }),
            rationale:
              `Drafted by the findings scan for ${record.title}: ${fix.description}`.slice(
                0,
                2000,
              ),
          },
          { credentials },
        );
        await store.setPlan(record.entityRef, record.fingerprint, plan.id);
        drafted += 1;
      } catch (error) {
        logger.warn(
          `Could not draft a plan for ${record.title} of ${record.entityRef}: ${error}`,
        );
      }
    }
    return drafted;
  }

  /** Every entity with Kubernetes annotations that the configured filter lets through. */
  private async entities(credentials: BackstageCredentials): Promise<Entity[]> {
    const filter = KUBERNETES_ANNOTATIONS.map(annotation => ({
      ...this.options.config.filter,
      [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
    }));
    const entities: Entity[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, limit: CATALOG_PAGE }
          : { filter, limit: CATALOG_PAGE },
        { credentials },
      );
      entities.push(...page.items);
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return entities;
  }
}
