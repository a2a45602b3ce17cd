import { randomUUID } from 'node:crypto';
import {
  DatabaseService,
  isDatabaseConflictError,
} from '@backstage/backend-plugin-api';
import {
  AlertmanagerAlert,
  AlertRecord,
  alertRecordSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { Knex } from 'knex';
import { applyColumnFilter } from '../database/columnFilter';
import { applyDatabaseMigrations } from '../database/migrations';
import { readTimestamp } from '../database/timestamps';
import { AlertChange, AlertMapping, AlertQuery, AlertStore } from './types';

const TABLE = 'kubecopilot_alerts';
type Timestamp = Date | number | string;

interface AlertRow {
  id: string;
  group_key: string;
  fingerprint: string;
  starts_at: Timestamp;
  ends_at: Timestamp | null;
  status: string;
  alertname: string;
  labels: string;
  annotations: string;
  entity_ref: string | null;
  owner_ref: string | null;
  mapping: string;
  diagnosis_id: string | null;
  diagnosis_summary: string | null;
  notified_at: Timestamp | null;
  received_at: Timestamp;
  updated_at: Timestamp;
}

const iso = (value: Timestamp) => readTimestamp(value).toISOString();
const normalizeRef = (ref: string) => ref.toLocaleLowerCase('en-US');

/** A valid time, or undefined: Alertmanager sends 0001-01-01 for "not ended". */
function time(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1970
    ? undefined
    : date;
}

function toRecord(row: AlertRow): AlertRecord {
  return alertRecordSchema.parse({
    id: row.id,
    groupKey: row.group_key,
    fingerprint: row.fingerprint,
    status: row.status,
    alertname: row.alertname,
    labels: JSON.parse(row.labels),
    annotations: JSON.parse(row.annotations),
    startsAt: iso(row.starts_at),
    ...(row.ends_at && { endsAt: iso(row.ends_at) }),
    ...(row.entity_ref && { entityRef: row.entity_ref }),
    ...(row.owner_ref && { ownerRef: row.owner_ref }),
    mapping: row.mapping,
    ...(row.diagnosis_id && { diagnosisId: row.diagnosis_id }),
    ...(row.diagnosis_summary && { diagnosisSummary: row.diagnosis_summary }),
    ...(row.notified_at && { notifiedAt: iso(row.notified_at) }),
    receivedAt: iso(row.received_at),
    updatedAt: iso(row.updated_at),
  });
}

/**
 * Alerts in the plugin's database, one row per episode (group key,
 * fingerprint, startsAt): Alertmanager retries a webhook until it gets a
 * 2xx, and resends firing alerts every repeat_interval, so receiving is
 * idempotent — only a new episode or its resolution changes anything.
 */
export class DatabaseAlertStore implements AlertStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseAlertStore> {
    const client = await options.database.getClient();
    const skip =
      options.skipMigrations ?? options.database.migrations?.skip ?? false;
    if (!skip) await applyDatabaseMigrations(client);
    return new DatabaseAlertStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async receive(
    groupKey: string,
    alert: AlertmanagerAlert,
    mapping: () => Promise<AlertMapping>,
    now: Date,
  ): Promise<{ record: AlertRecord; change: AlertChange }> {
    const startsAt = time(alert.startsAt) ?? now;
    const key = {
      group_key: groupKey,
      fingerprint: alert.fingerprint,
      starts_at: startsAt,
    };
    const find = () => this.db<AlertRow>(TABLE).where(key).first();
    const existing = await find();
    if (existing) return this.update(existing, alert, now);
    // Mapped only for a new episode: a retry costs no catalog or cluster read.
    const mapped = await mapping();
    const row = {
      id: randomUUID(),
      ...key,
      ends_at: alert.status === 'resolved' ? time(alert.endsAt) ?? now : null,
      status: alert.status,
      alertname: (alert.labels.alertname ?? '').slice(0, 255),
      labels: JSON.stringify(alert.labels),
      annotations: JSON.stringify(alert.annotations),
      entity_ref: mapped.entityRef ? normalizeRef(mapped.entityRef) : null,
      owner_ref: mapped.ownerRef ? normalizeRef(mapped.ownerRef) : null,
      mapping: mapped.mapping.slice(0, 512),
      received_at: now,
      updated_at: now,
    };
    try {
      await this.db(TABLE).insert(row);
    } catch (error) {
      // A concurrent retry of the same webhook inserted it first.
      if (!isDatabaseConflictError(error)) throw error;
      const raced = await find();
      if (!raced) throw error;
      return this.update(raced, alert, now);
    }
    return {
      record: toRecord(
        (await this.db<AlertRow>(TABLE).where({ id: row.id }).first())!,
      ),
      change: alert.status === 'firing' ? 'fired' : 'resolved-unseen',
    };
  }

  private async update(
    existing: AlertRow,
    alert: AlertmanagerAlert,
    now: Date,
  ): Promise<{ record: AlertRecord; change: AlertChange }> {
    // Resolved is final for an episode: a late retry of "firing" changes nothing.
    if (existing.status === 'firing' && alert.status === 'resolved') {
      const updated = await this.db(TABLE)
        .where({ id: existing.id, status: 'firing' })
        .update({
          status: 'resolved',
          ends_at: time(alert.endsAt) ?? now,
          updated_at: now,
        });
      const row = (await this.db<AlertRow>(TABLE)
        .where({ id: existing.id })
        .first())!;
      return {
        record: toRecord(row),
        change: updated ? 'resolved' : 'unchanged',
      };
    }
    return { record: toRecord(existing), change: 'unchanged' };
  }

  async attachDiagnosis(id: string, diagnosisId: string, summary: string) {
    await this.db(TABLE)
      .where({ id })
      .update({ diagnosis_id: diagnosisId, diagnosis_summary: summary });
  }

  async markNotified(id: string, at: Date) {
    await this.db(TABLE)
      .where({ id })
      .whereNull('notified_at')
      .update({ notified_at: at });
  }

  async list(query: AlertQuery): Promise<AlertRecord[]> {
    const builder = this.db<AlertRow>(TABLE);
    if (query.status) builder.where('status', query.status);
    if (query.entityRef)
      builder.where('entity_ref', normalizeRef(query.entityRef));
    if (query.filter) applyColumnFilter(builder, query.filter);
    const rows = await builder
      .orderBy([
        { column: 'received_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(Math.min(query.limit ?? 200, 1000))
      .select();
    return rows.map(toRecord);
  }
}
