import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { readTimestamp } from '../database/timestamps';
import { GENESIS_HASH, objectHash } from './canonical';
import { chainHash, ChainVerifier } from './chain';
import {
  AuditEntry,
  AuditEntryInput,
  AuditStore,
  AuditVerification,
} from './types';

const TABLE = 'kubecopilot_audit';
const MAX_APPEND_ATTEMPTS = 20;
const VERIFY_BATCH = 1_000;

export type AuditRow = {
  id: number | string;
  plan_id: string | null;
  entity_ref: string;
  actor: string;
  action: string;
  before_hash: string | null;
  after_hash: string | null;
  payload: string;
  created_at: Date | number | string;
  prev_hash: string;
  hash: string;
};

/** PostgreSQL advisory lock key serialising audit appends ("kcop"). */
const AUDIT_APPEND_LOCK = 0x6b636f70;

/**
 * The append-only, hash-chained audit log. Concurrent appenders (threads of
 * one backend or several replicas) race for the chain head; the unique index
 * on `prev_hash` lets exactly one win and the others re-read the head and
 * retry inside a savepoint, so the caller's transaction survives.
 */
export class DatabaseAuditStore implements AuditStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseAuditStore> {
    const client = await options.database.getClient();
    const skip =
      options.skipMigrations ?? options.database.migrations?.skip ?? false;
    if (!skip) await applyDatabaseMigrations(client);
    return new DatabaseAuditStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async append(
    input: AuditEntryInput,
    tx?: Knex.Transaction,
  ): Promise<AuditEntry> {
    if (tx) return this.#appendIn(tx, input);
    return this.db.transaction(trx => this.#appendIn(trx, input));
  }

  async #appendIn(
    trx: Knex.Transaction,
    input: AuditEntryInput,
  ): Promise<AuditEntry> {
    const content = {
      planId: input.planId,
      entityRef: input.entityRef.toLocaleLowerCase('en-US'),
      actor: input.actor,
      action: input.action,
      beforeHash: objectHash(input.before) ?? undefined,
      afterHash: objectHash(input.after) ?? undefined,
      payload: input.payload ?? {},
      createdAt: new Date().toISOString(),
    };
    if (this.db.client.config.client === 'pg') {
      // One appender at a time across every replica: the chain is serial by
      // nature, and without the lock concurrent appends race for the same
      // head and can exhaust their retries under load. The lock ends with
      // the transaction the entry belongs to.
      await trx.raw('select pg_advisory_xact_lock(?)', [AUDIT_APPEND_LOCK]);
    }
    for (let attempt = 1; ; attempt++) {
      const head = await trx<AuditRow>(TABLE)
        .orderBy('id', 'desc')
        .first('hash');
      const prevHash = head?.hash ?? GENESIS_HASH;
      const hash = chainHash(prevHash, content);
      try {
        const id = await trx.transaction(async savepoint => {
          const [inserted] = await savepoint(TABLE)
            .insert({
              plan_id: content.planId ?? null,
              entity_ref: content.entityRef,
              actor: content.actor,
              action: content.action,
              before_hash: content.beforeHash ?? null,
              after_hash: content.afterHash ?? null,
              payload: JSON.stringify(content.payload),
              created_at: new Date(content.createdAt),
              prev_hash: prevHash,
              hash,
            })
            .returning('id');
          return Number(typeof inserted === 'object' ? inserted.id : inserted);
        });
        return { id, ...content, prevHash, hash };
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= MAX_APPEND_ATTEMPTS)
          throw error;
      }
    }
  }

  async list(filter: {
    planId?: string;
    entityRef?: string;
    limit?: number;
  }): Promise<AuditEntry[]> {
    const query = this.db<AuditRow>(TABLE).orderBy('id', 'asc');
    if (filter.planId) query.where('plan_id', filter.planId);
    if (filter.entityRef) {
      query.where('entity_ref', filter.entityRef.toLocaleLowerCase('en-US'));
    }
    query.limit(Math.min(filter.limit ?? 500, 5_000));
    return (await query).map(toEntry);
  }

  async verify(): Promise<AuditVerification> {
    const verifier = new ChainVerifier();
    let after = -1;
    for (;;) {
      const rows = await this.db<AuditRow>(TABLE)
        .where('id', '>', after)
        .orderBy('id', 'asc')
        .limit(VERIFY_BATCH);
      if (rows.length === 0) break;
      for (const row of rows) {
        if (!verifier.push(toEntry(row))) return verifier.result();
      }
      after = Number(rows[rows.length - 1].id);
    }
    return verifier.result();
  }
}

/** An audit row as stored, read back as an entry (also used offline). */
export function toEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    planId: row.plan_id ?? undefined,
    entityRef: row.entity_ref,
    actor: row.actor,
    action: row.action,
    beforeHash: row.before_hash ?? undefined,
    afterHash: row.after_hash ?? undefined,
    payload: safeParse(row.payload),
    createdAt: readTimestamp(row.created_at).toISOString(),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function safeParse(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? value : { value };
  } catch {
    // An unparsable payload was tampered with; keep the text so its hash fails.
    return { unparsable: text };
  }
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' || // PostgreSQL unique_violation
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed|duplicate key value/i.test(e?.message ?? '')
  );
}
