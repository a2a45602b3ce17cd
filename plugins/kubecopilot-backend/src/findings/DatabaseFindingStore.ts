import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  FindingRecord,
  findingRecordSchema,
  findingSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { Knex } from 'knex';
import { applyColumnFilter } from '../database/columnFilter';
import { applyDatabaseMigrations } from '../database/migrations';
import { readTimestamp } from '../database/timestamps';
import { byFingerprint, titleOf } from './fingerprint';
import {
  EntityObservation,
  FindingQuery,
  FindingStore,
  ReconcileResult,
  RecordedScan,
} from './types';

const TABLE = 'kubecopilot_findings';
const SCANS = 'kubecopilot_findings_scans';
const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1000;

type Timestamp = Date | number | string;

interface ScanRow {
  entity_ref: string;
  diagnosis_id: string;
  signature: string;
  recorded_at: Timestamp;
}

interface FindingRow {
  fingerprint: string;
  entity_ref: string;
  owner_ref: string | null;
  status: string;
  severity: string;
  code: string;
  title: string;
  cluster: string;
  finding: string;
  diagnosis_id: string | null;
  first_seen: Timestamp;
  last_seen: Timestamp;
  resolved_at: Timestamp | null;
  notified_at: Timestamp | null;
  plan_id: string | null;
}

const normalizeRef = (ref: string) => ref.toLocaleLowerCase('en-US');
const iso = (value: Timestamp) => readTimestamp(value).toISOString();

function toRecord(row: FindingRow): FindingRecord {
  const finding = findingSchema.parse(JSON.parse(row.finding));
  return findingRecordSchema.parse({
    fingerprint: row.fingerprint,
    entityRef: row.entity_ref,
    ...(row.owner_ref && { ownerRef: row.owner_ref }),
    status: row.status,
    severity: row.severity,
    code: row.code,
    title: row.title,
    cluster: row.cluster,
    resource: finding.resource,
    ...(finding.container && { container: finding.container }),
    finding,
    ...(row.diagnosis_id && { diagnosisId: row.diagnosis_id }),
    firstSeen: iso(row.first_seen),
    lastSeen: iso(row.last_seen),
    ...(row.resolved_at && { resolvedAt: iso(row.resolved_at) }),
    ...(row.notified_at && { notifiedAt: iso(row.notified_at) }),
    ...(row.plan_id && { planId: row.plan_id }),
  });
}

/**
 * Keeps findings in the plugin's database (SQLite or PostgreSQL), one row
 * per entity and fingerprint; a reconcile is one transaction.
 */
export class DatabaseFindingStore implements FindingStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseFindingStore> {
    const client = await options.database.getClient();
    const skip =
      options.skipMigrations ?? options.database.migrations?.skip ?? false;
    if (!skip) {
      await applyDatabaseMigrations(client);
    }
    return new DatabaseFindingStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async reconcile(observation: EntityObservation): Promise<ReconcileResult> {
    const entityRef = normalizeRef(observation.entityRef);
    const ownerRef = observation.ownerRef
      ? normalizeRef(observation.ownerRef)
      : null;
    const seenAt = observation.seenAt;
    const current = byFingerprint(observation.findings);
    return this.db.transaction(async tx => {
      const existing = new Map(
        (
          await tx<FindingRow>(TABLE).where({ entity_ref: entityRef }).select()
        ).map(row => [row.fingerprint, row]),
      );
      const openedKeys: string[] = [];
      let updated = 0;
      for (const [fingerprint, finding] of current) {
        const columns = {
          owner_ref: ownerRef,
          severity: finding.severity,
          code: finding.code,
          title: titleOf(finding),
          cluster: finding.cluster,
          finding: JSON.stringify(finding),
          diagnosis_id: observation.diagnosisId ?? null,
          last_seen: seenAt,
        };
        const row = existing.get(fingerprint);
        if (!row) {
          await tx(TABLE).insert({
            ...columns,
            fingerprint,
            entity_ref: entityRef,
            status: 'open',
            first_seen: seenAt,
          });
          openedKeys.push(fingerprint);
        } else if (row.status === 'open') {
          await tx(TABLE)
            .where({ entity_ref: entityRef, fingerprint })
            .update(columns);
          updated += 1;
        } else {
          // Back after being resolved: a new opening, told again.
          await tx(TABLE)
            .where({ entity_ref: entityRef, fingerprint })
            .update({
              ...columns,
              status: 'open',
              resolved_at: null,
              notified_at: null,
              plan_id: null,
            });
          openedKeys.push(fingerprint);
        }
      }
      const resolvedKeys = observation.complete
        ? [...existing.values()]
            .filter(r => r.status === 'open' && !current.has(r.fingerprint))
            .map(r => r.fingerprint)
        : [];
      if (resolvedKeys.length > 0) {
        await tx(TABLE)
          .where({ entity_ref: entityRef, status: 'open' })
          .whereIn('fingerprint', resolvedKeys)
          .update({ status: 'resolved', resolved_at: seenAt });
      }
      if (observation.recorded) {
        await tx<ScanRow>(SCANS)
          .insert({
            entity_ref: entityRef,
            diagnosis_id: observation.recorded.diagnosisId,
            signature: observation.recorded.signature,
            recorded_at: observation.recorded.recordedAt,
          })
          .onConflict('entity_ref')
          .merge(['diagnosis_id', 'signature', 'recorded_at']);
      }
      const read = async (keys: string[]) =>
        keys.length === 0
          ? []
          : (
              await tx<FindingRow>(TABLE)
                .where({ entity_ref: entityRef })
                .whereIn('fingerprint', keys)
                .select()
            ).map(toRecord);
      return {
        opened: await read(openedKeys),
        updated,
        resolved: await read(resolvedKeys),
      };
    });
  }

  async markNotified(entityRef: string, fingerprints: string[], at: Date) {
    if (fingerprints.length === 0) return;
    await this.db(TABLE)
      .where({ entity_ref: normalizeRef(entityRef), status: 'open' })
      .whereIn('fingerprint', fingerprints)
      .whereNull('notified_at')
      .update({ notified_at: at });
  }

  async setPlan(entityRef: string, fingerprint: string, planId: string) {
    await this.db(TABLE)
      .where({ entity_ref: normalizeRef(entityRef), fingerprint })
      .update({ plan_id: planId });
  }

  async list(query: FindingQuery): Promise<FindingRecord[]> {
    const limit = Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
    const builder = this.db<FindingRow>(TABLE);
    if (query.status) builder.where('status', query.status);
    if (query.entityRef) {
      builder.where('entity_ref', normalizeRef(query.entityRef));
    }
    if (query.ownerRef)
      builder.where('owner_ref', normalizeRef(query.ownerRef));
    if (query.severity) builder.where('severity', query.severity);
    if (query.cluster) builder.where('cluster', query.cluster);
    if (query.filter) applyColumnFilter(builder, query.filter);
    const rows = await builder
      .orderBy([
        { column: 'last_seen', order: 'desc' },
        { column: 'entity_ref', order: 'asc' },
        { column: 'fingerprint', order: 'asc' },
      ])
      .limit(limit)
      .select();
    return rows.map(toRecord);
  }

  async lastRecorded(entityRef: string): Promise<RecordedScan | undefined> {
    const row = await this.db<ScanRow>(SCANS)
      .where({ entity_ref: normalizeRef(entityRef) })
      .first();
    return row
      ? {
          diagnosisId: row.diagnosis_id,
          signature: row.signature,
          recordedAt: readTimestamp(row.recorded_at),
        }
      : undefined;
  }
}
