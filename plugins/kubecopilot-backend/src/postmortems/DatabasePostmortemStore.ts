import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  Postmortem,
  postmortemSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';

const TABLE = 'kubecopilot_postmortems';

interface PostmortemRow {
  id: string;
  version: number;
  entity_ref: string;
  updated_by: string;
  updated_at: Date | number | string;
  postmortem: string;
}

const parse = (row: PostmortemRow) =>
  postmortemSchema.parse(JSON.parse(row.postmortem));

/** Postmortems, every version kept (primary key id + version: a save never overwrites). */
export class DatabasePostmortemStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabasePostmortemStore> {
    const client = await options.database.getClient();
    const skip =
      options.skipMigrations ?? options.database.migrations?.skip ?? false;
    if (!skip) await applyDatabaseMigrations(client);
    return new DatabasePostmortemStore(client);
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Adds a version. Two saves of the same version race on the primary key:
   * the second fails (isDatabaseConflictError) instead of overwriting.
   */
  async insert(postmortem: Postmortem): Promise<void> {
    const valid = postmortemSchema.parse(postmortem);
    await this.db<PostmortemRow>(TABLE).insert({
      id: valid.id,
      version: valid.version,
      entity_ref: valid.entityRef.toLocaleLowerCase('en-US'),
      updated_by: valid.updatedBy.toLocaleLowerCase('en-US'),
      updated_at: new Date(valid.updatedAt),
      postmortem: JSON.stringify(valid),
    });
  }

  /** The latest version, or the one asked for. */
  async get(id: string, version?: number): Promise<Postmortem | undefined> {
    const query = this.db<PostmortemRow>(TABLE).where({ id });
    if (version !== undefined) query.where({ version });
    const row = await query.orderBy('version', 'desc').first();
    return row ? parse(row) : undefined;
  }

  /** The latest version of each postmortem of the entity, newest first. */
  async listByEntity(entityRef: string, limit = 50): Promise<Postmortem[]> {
    const rows = await this.db<PostmortemRow>(TABLE)
      .where({ entity_ref: entityRef.toLocaleLowerCase('en-US') })
      .orderBy([
        { column: 'updated_at', order: 'desc' },
        { column: 'version', order: 'desc' },
      ])
      .select();
    const latest = new Map<string, Postmortem>();
    for (const row of rows) {
      if (!latest.has(row.id)) latest.set(row.id, parse(row));
    }
    return [...latest.values()].slice(0, limit);
  }
}
