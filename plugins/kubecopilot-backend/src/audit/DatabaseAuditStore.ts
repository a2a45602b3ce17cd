import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { GENESIS_HASH, objectHash } from './canonical';
import { chainHash } from './chain';
import {
  AuditCheckpoint,
  CheckpointKeyring,
  CheckpointSigner,
  signatureHash,
} from './checkpoint';
import { applyColumnFilter } from '../database/columnFilter';
import { decodeAuditCursor, encodeAuditCursor } from './cursor';
import {
  AuditEntry,
  AuditEntryInput,
  AuditListOptions,
  AuditPage,
  AuditStore,
  AuditVerification,
} from './types';
import {
  AuditRow,
  CHECKPOINT_TABLE,
  CheckpointRow,
  toCheckpoint,
  toCheckpointRow,
  toEntry,
  verifyAuditDatabase,
} from './verifyAudit';

export { toEntry };
export type { AuditRow };

const TABLE = 'kubecopilot_audit';
const MAX_APPEND_ATTEMPTS = 20;

/**
 * Audited actions that end a write to a cluster: the head is signed in the
 * same transaction, so no later database edit can hide what was done.
 */
const CHECKPOINT_ACTIONS = new Set([
  'plan.executed',
  'plan.failed',
  'plan.reverted',
  'plan.revert-failed',
]);

/** Signed checkpoints of the chain head (see `checkpoint.ts`). */
export interface AuditCheckpointOptions {
  /** Signs new checkpoints; without it none are written. */
  signer?: CheckpointSigner;
  /** Verifies checkpoints; without it `verify` checks the chain alone. */
  keyring?: CheckpointKeyring;
  logger?: LoggerService;
  /**
   * Called once a checkpoint committed, to keep a copy outside the database
   * (the auditor service, the log).
   */
  publish?: (checkpoint: AuditCheckpoint) => Promise<void> | void;
}

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
    checkpoints?: AuditCheckpointOptions;
  }): Promise<DatabaseAuditStore> {
    const client = await options.database.getClient();
    const skip =
      options.skipMigrations ?? options.database.migrations?.skip ?? false;
    if (!skip) await applyDatabaseMigrations(client);
    return new DatabaseAuditStore(client, options.checkpoints ?? {});
  }

  /** The newest checkpoint this process wrote or saw verified. */
  #lastKnown?: { seq: number; headHash: string };

  private constructor(
    private readonly db: Knex,
    private readonly checkpoints: AuditCheckpointOptions,
  ) {}

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
        if (CHECKPOINT_ACTIONS.has(content.action)) {
          await this.#checkpointBesideChange(trx, content.action);
        }
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
    const page = await this.listPage({
      ...filter,
      limit: Math.min(filter.limit ?? 500, 5_000),
    });
    return page.items.reverse();
  }

  async listPage(options: AuditListOptions): Promise<AuditPage> {
    // Served by the primary key, or by the (plan_id, id) and
    // (entity_ref, id) indexes read backwards.
    const query = this.db<AuditRow>(TABLE).orderBy('id', 'desc');
    if (options.planId) query.where('plan_id', options.planId);
    if (options.entityRef) {
      query.where('entity_ref', options.entityRef.toLocaleLowerCase('en-US'));
    }
    if (options.filter) {
      const filter = options.filter;
      // An entry about no entity is for unconditional readers only, also
      // when a negated condition would otherwise match it.
      query
        .whereNotNull('entity_ref')
        .whereNot('entity_ref', '')
        .where(builder => applyColumnFilter(builder, filter));
    }
    if (options.cursor) {
      query.where('id', '<', decodeAuditCursor(options.cursor));
    }
    const rows = await query.limit(options.limit + 1);
    const items = rows.slice(0, options.limit).map(toEntry);
    const last = items[items.length - 1];
    return {
      items,
      ...(rows.length > options.limit &&
        last && { nextCursor: encodeAuditCursor(last.id) }),
    };
  }

  async verify(): Promise<AuditVerification> {
    const result = await verifyAuditDatabase(this.db, {
      keyring: this.checkpoints.keyring,
      lastKnown: this.#lastKnown,
    });
    if (result.ok && result.checkpoints?.lastSeq !== undefined) {
      const last = await this.db<CheckpointRow>(CHECKPOINT_TABLE)
        .where('seq', result.checkpoints.lastSeq)
        .first('head_hash');
      if (last) this.#remember(result.checkpoints.lastSeq, last.head_hash);
    }
    return result;
  }

  /**
   * Signs the current chain head, unless it is already signed. Runs on a
   * schedule, and by itself after every audited cluster write. Returns the
   * new checkpoint, or undefined when there was nothing to sign (no key, an
   * empty chain, or a head already signed).
   */
  async checkpoint(
    reason: string = 'scheduled',
  ): Promise<AuditCheckpoint | undefined> {
    if (!this.checkpoints.signer) return undefined;
    const written = await this.db.transaction(async trx => {
      await this.#lockChain(trx);
      return this.#checkpointIn(trx, reason);
    });
    if (written) await this.#published(written);
    return written;
  }

  /**
   * The checkpoint written with a cluster write's audit entry. The write has
   * happened, so its entry must commit even when signing fails: a failure is
   * logged, inside a savepoint the caller's transaction survives.
   */
  async #checkpointBesideChange(trx: Knex.Transaction, reason: string) {
    if (!this.checkpoints.signer) return;
    try {
      const written = await trx.transaction(savepoint =>
        this.#checkpointIn(savepoint, reason),
      );
      if (written) {
        // Published only once the entry and checkpoint really committed.
        trx.executionPromise.then(
          () => this.#published(written),
          () => undefined,
        );
      }
    } catch (error) {
      this.checkpoints.logger?.error(
        `Audit checkpoint after ${reason} was not written: ${
          (error as Error).message
        }`,
      );
    }
  }

  async #lockChain(trx: Knex.Transaction) {
    if (this.db.client.config.client === 'pg') {
      // The same lock as appends: the head cannot move while it is signed,
      // and two checkpoints never compete for the same number.
      await trx.raw('select pg_advisory_xact_lock(?)', [AUDIT_APPEND_LOCK]);
    }
  }

  async #checkpointIn(
    trx: Knex.Transaction,
    reason: string,
  ): Promise<AuditCheckpoint | undefined> {
    const signer = this.checkpoints.signer!;
    const head = await trx<AuditRow>(TABLE)
      .orderBy('id', 'desc')
      .first('id', 'hash');
    if (!head) return undefined;
    const lastRow = await trx<CheckpointRow>(CHECKPOINT_TABLE)
      .orderBy('seq', 'desc')
      .first();
    const last = lastRow ? toCheckpoint(lastRow) : undefined;
    if (last && last.headId === Number(head.id)) return undefined;

    // Never sign over a chain that lost what an earlier checkpoint signed:
    // the signature would bless the edit. Whoever wants the log to verify
    // again has to restore it, not wait for the next checkpoint.
    if (this.#lastKnown && (last?.seq ?? 0) < this.#lastKnown.seq) {
      throw new Error(
        `checkpoint ${
          this.#lastKnown.seq
        } was deleted from the database; refusing to sign the chain head`,
      );
    }
    let since = 0;
    if (last) {
      const signed = await trx<AuditRow>(TABLE)
        .where('id', last.headId)
        .first('hash');
      if (signed?.hash !== last.headHash) {
        throw new Error(
          `entry ${last.headId} no longer has the hash checkpoint ${last.seq} signed; refusing to sign the chain head`,
        );
      }
      since = last.headId;
    }
    const [{ n }] = await trx(TABLE)
      .where('id', '>', since)
      .andWhere('id', '<=', head.id)
      .count({ n: '*' });

    const checkpoint = signer.sign({
      seq: (last?.seq ?? 0) + 1,
      headId: Number(head.id),
      headHash: head.hash,
      count: (last?.count ?? 0) + Number(n),
      signedAt: new Date().toISOString(),
      reason,
      prevSignatureHash: signatureHash(last),
    });
    await trx(CHECKPOINT_TABLE).insert(toCheckpointRow(checkpoint));
    return checkpoint;
  }

  async #published(checkpoint: AuditCheckpoint) {
    this.#remember(checkpoint.seq, checkpoint.headHash);
    try {
      await this.checkpoints.publish?.(checkpoint);
    } catch (error) {
      this.checkpoints.logger?.error(
        `Audit checkpoint ${checkpoint.seq} was written but not published: ${
          (error as Error).message
        }`,
      );
    }
  }

  #remember(seq: number, headHash: string) {
    if (!this.#lastKnown || seq >= this.#lastKnown.seq) {
      this.#lastKnown = { seq, headHash };
    }
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
