import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  Diagnosis,
  diagnosisSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { DiagnosisStore } from './types';

const TABLE = 'kubecopilot_diagnoses';
/**
 * Rows deleted per statement: each batch is its own short transaction, so a
 * prune of a large backlog never holds the database (SQLite has one writer)
 * long enough to make requests wait.
 */
const PRUNE_BATCH = 500;

type DiagnosisRow = {
  id: string;
  entity_ref: string;
  created_by: string;
  created_at: Date | number | string;
  source: string;
  model: string | null;
  prompt_version: string | null;
  diagnosis: string;
};

/** Entity and user refs compare case-insensitively, as in the catalog. */
function normalizeRef(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

/**
 * Stores diagnoses in the plugin's database (SQLite or PostgreSQL). The
 * diagnosis is stored whole, as returned (already redacted); the other
 * columns are projections of it for listing.
 */
export class DatabaseDiagnosisStore implements DiagnosisStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseDiagnosisStore> {
    const client = await options.database.getClient();
    const skip =
      options.skipMigrations ?? options.database.migrations?.skip ?? false;
    if (!skip) {
      await applyDatabaseMigrations(client);
    }
    return new DatabaseDiagnosisStore(client);
  }

  private constructor(private readonly db: Knex) {}

  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async save(
    diagnosis: Diagnosis,
    options: { createdBy: string; tx?: Knex.Transaction },
  ): Promise<void> {
    const valid = diagnosisSchema.parse(diagnosis);
    const createdAt = new Date(valid.createdAt);
    if (Number.isNaN(createdAt.getTime())) {
      throw new TypeError(
        `Diagnosis ${valid.id} has an invalid createdAt '${valid.createdAt}'`,
      );
    }
    await (options.tx ?? this.db)<DiagnosisRow>(TABLE).insert({
      id: valid.id,
      entity_ref: normalizeRef(valid.entityRef),
      created_by: normalizeRef(options.createdBy),
      created_at: createdAt,
      source: valid.source,
      model: valid.model ?? null,
      prompt_version: valid.promptVersion ?? null,
      diagnosis: JSON.stringify(valid),
    });
  }

  async list(entityRef: string, limit: number): Promise<Diagnosis[]> {
    // Served by kubecopilot_diagnoses_entity_created_idx, read backwards.
    const rows = await this.db<DiagnosisRow>(TABLE)
      .where({ entity_ref: normalizeRef(entityRef) })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
      .select('diagnosis');
    return rows.map(r => diagnosisSchema.parse(JSON.parse(r.diagnosis)));
  }

  async prune(options: {
    olderThan: Date;
    keepPerEntity: number;
  }): Promise<number> {
    const keep = Math.max(0, Math.floor(options.keepPerEntity));
    // Each entity's diagnoses ranked newest first, as `list` orders them;
    // the index on (entity_ref, created_at, id) serves the window.
    const ranked = this.db(TABLE).select(
      'id',
      'created_at',
      this.db.raw(
        'row_number() over (partition by entity_ref order by created_at desc, id desc) as position',
      ),
    );
    let deleted = 0;
    for (;;) {
      const ids = (
        await this.db
          .from(ranked.as('ranked'))
          .where('position', '>', keep)
          .andWhere('created_at', '<', options.olderThan)
          .limit(PRUNE_BATCH)
          .select('id')
      ).map((r: { id: string }) => r.id);
      if (ids.length === 0) return deleted;
      deleted += await this.db(TABLE).whereIn('id', ids).delete();
      if (ids.length < PRUNE_BATCH) return deleted;
    }
  }
}
