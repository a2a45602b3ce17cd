import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';

const TABLE = 'kubecopilot_llm_usage';

/** The UTC day of `at` as `YYYY-MM-DD`: the unit of the daily token budget. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Where LLM token spend per caller and UTC day is kept. */
export interface LlmUsageStore {
  /** Tokens `caller` spent on `day` (0 when nothing was recorded). */
  spent(caller: string, day: string): Promise<number>;
  /** Adds `tokens` to the caller's spend of `day`, atomically; returns the new total. */
  add(caller: string, day: string, tokens: number): Promise<number>;
  /** Deletes the rows of days before `day`; returns how many were deleted. */
  deleteBefore(day: string): Promise<number>;
}

/**
 * {@link LlmUsageStore} in the plugin's database (`kubecopilot_llm_usage`).
 * The increment is one `INSERT … ON CONFLICT DO UPDATE` statement, atomic on
 * SQLite and PostgreSQL, so replicas charging the same caller at the same
 * time never lose a charge.
 */
export class DatabaseLlmUsageStore implements LlmUsageStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
    now?: () => Date;
  }): Promise<DatabaseLlmUsageStore> {
    const client = await options.database.getClient();
    const skip =
      options.skipMigrations ?? options.database.migrations?.skip ?? false;
    if (!skip) await applyDatabaseMigrations(client);
    return new DatabaseLlmUsageStore(client, options.now ?? (() => new Date()));
  }

  private constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {}

  async spent(caller: string, day: string): Promise<number> {
    const row = await this.db(TABLE)
      .where({ user_ref: normalize(caller), day })
      .first('tokens');
    return row ? Number(row.tokens) : 0;
  }

  async add(caller: string, day: string, tokens: number): Promise<number> {
    if (!Number.isSafeInteger(tokens) || tokens < 0) {
      throw new TypeError(
        `LLM token usage must be a non-negative integer, got ${tokens}`,
      );
    }
    const rows: Array<{ tokens: number | string }> = await this.db(TABLE)
      .insert({
        user_ref: normalize(caller),
        day,
        tokens,
        updated_at: this.now(),
      })
      .onConflict(['user_ref', 'day'])
      .merge({
        // `excluded` is the row that was not inserted: its tokens are this charge.
        tokens: this.db.raw('?? + excluded.??', [`${TABLE}.tokens`, 'tokens']),
        updated_at: this.db.raw('excluded.??', ['updated_at']),
      })
      .returning('tokens');
    return Number(rows[0].tokens);
  }

  async deleteBefore(day: string): Promise<number> {
    return this.db(TABLE).where('day', '<', day).delete();
  }
}

function normalize(caller: string) {
  return caller.toLocaleLowerCase('en-US');
}
