import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  OperationPlan,
  operationPlanSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { readTimestamp } from '../database/timestamps';
import { decodePlanCursor, encodePlanCursor } from './cursor';
import { applyColumnFilter } from '../database/columnFilter';
import { ListPlansOptions, PlanPage, PlanStore, StoredPlan } from './types';

const TABLE = 'kubecopilot_plans';

type PlanRow = {
  id: string;
  entity_ref: string;
  owner_ref: string | null;
  status: string;
  action: string;
  cluster: string;
  kind: string;
  namespace: string | null;
  name: string;
  risk_level: string;
  requested_by: string;
  created_at: Date | number | string;
  updated_at: Date | number | string;
  revision: number;
  plan: string;
  execution_idempotency_key: string | null;
  execution_result: string | null;
  revert_started_at: Date | number | string | null;
};

/** When a revert of the plan was claimed and has not settled, for maintenance. */
function revertStartedAt(plan: OperationPlan): Date | null {
  if (!plan.revert || plan.revert.finishedAt) return null;
  const at = new Date(plan.revert.startedAt);
  return Number.isNaN(at.getTime()) ? new Date() : at;
}

/** Entity and user refs compare case-insensitively, as in the catalog. */
function normalizeRef(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

/** Stores plans in the plugin's database (SQLite or PostgreSQL). */
export class DatabasePlanStore implements PlanStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabasePlanStore> {
    const client = await options.database.getClient();
    const skip =
      options.skipMigrations ?? options.database.migrations?.skip ?? false;
    if (!skip) {
      await applyDatabaseMigrations(client);
    }
    return new DatabasePlanStore(client);
  }

  private constructor(private readonly db: Knex) {}

  /** Runs `fn` in one transaction: a plan change and its audit entry commit together. */
  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async createPlan(
    plan: OperationPlan,
    options?: { ownerRef?: string; tx?: Knex.Transaction },
  ): Promise<void> {
    const valid = operationPlanSchema.parse(plan);
    const createdAt = new Date(valid.audit.timestamps.createdAt);
    if (Number.isNaN(createdAt.getTime())) {
      throw new TypeError(
        `Plan ${valid.id} has an invalid createdAt '${valid.audit.timestamps.createdAt}'`,
      );
    }
    const row: Omit<
      PlanRow,
      'execution_idempotency_key' | 'execution_result' | 'revert_started_at'
    > =
      {
        id: valid.id,
        entity_ref: normalizeRef(valid.entityRef),
        owner_ref: options?.ownerRef ? normalizeRef(options.ownerRef) : null,
        status: valid.status,
        action: valid.action,
        cluster: valid.resource.cluster,
        kind: valid.resource.kind,
        namespace: valid.resource.namespace ?? null,
        name: valid.resource.name,
        risk_level: valid.risk.level,
        requested_by: normalizeRef(valid.audit.requestedBy),
        created_at: createdAt,
        updated_at: createdAt,
        revision: valid.revision,
        plan: JSON.stringify(valid),
      };
    await (options?.tx ?? this.db)<PlanRow>(TABLE).insert(row);
  }

  async updatePlan(
    plan: OperationPlan,
    options: {
      expectedRevision: number;
      tx?: Knex.Transaction;
      idempotencyKey?: string;
      executionResult?: unknown;
    },
  ): Promise<OperationPlan> {
    const next = operationPlanSchema.parse({
      ...plan,
      revision: options.expectedRevision + 1,
    });
    const updated = await (options.tx ?? this.db)<PlanRow>(TABLE)
      .where({ id: next.id, revision: options.expectedRevision })
      .update({
        status: next.status,
        risk_level: next.risk.level,
        updated_at: new Date(),
        revision: next.revision,
        plan: JSON.stringify(next),
        revert_started_at: revertStartedAt(next),
        ...(options.idempotencyKey !== undefined && {
          execution_idempotency_key: options.idempotencyKey,
        }),
        ...(options.executionResult !== undefined && {
          execution_result: JSON.stringify(options.executionResult),
        }),
      });
    if (updated !== 1) {
      throw new ConflictError(
        `Plan '${next.id}' was changed by someone else meanwhile; reload it and try again`,
      );
    }
    return next;
  }

  async getExecutionReplay(
    id: string,
  ): Promise<{ idempotencyKey: string; result: unknown } | undefined> {
    const row = await this.db<PlanRow>(TABLE)
      .where({ id })
      .first('execution_idempotency_key', 'execution_result');
    if (!row?.execution_idempotency_key || !row.execution_result) {
      return undefined;
    }
    return {
      idempotencyKey: row.execution_idempotency_key,
      result: JSON.parse(row.execution_result),
    };
  }

  /** Pending plans drafted before `before`, oldest first. */
  async listPendingBefore(before: Date, limit: number): Promise<StoredPlan[]> {
    const rows = await this.db<PlanRow>(TABLE)
      .where('status', 'pending')
      .where('created_at', '<', before)
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(limit);
    return rows.map(toStoredPlan);
  }

  /** Plans left `executing` (by a crash) — reconciled on start-up. */
  async listExecuting(): Promise<StoredPlan[]> {
    const rows = await this.db<PlanRow>(TABLE).where({ status: 'executing' });
    return rows.map(toStoredPlan);
  }

  /** Executed plans whose revert was claimed and never settled. */
  async listRevertsInFlight(): Promise<StoredPlan[]> {
    const rows = await this.db<PlanRow>(TABLE)
      .whereNotNull('revert_started_at')
      .orderBy('revert_started_at', 'asc')
      .limit(500);
    return rows.map(toStoredPlan);
  }

  async getPlan(id: string): Promise<StoredPlan | undefined> {
    const [row] = await this.db<PlanRow>(TABLE).where({ id }).limit(1);
    return row ? toStoredPlan(row) : undefined;
  }

  async getPlans(ids: string[]): Promise<Array<StoredPlan | undefined>> {
    if (ids.length === 0) {
      return [];
    }
    const rows = await this.db<PlanRow>(TABLE).whereIn('id', ids);
    const byId = new Map(rows.map(row => [row.id, row]));
    return ids.map(id => {
      const row = byId.get(id);
      return row ? toStoredPlan(row) : undefined;
    });
  }

  async listPlans(options: ListPlansOptions): Promise<PlanPage> {
    const query = this.db<PlanRow>(TABLE);
    if (options.status) {
      query.where('status', options.status);
    }
    if (options.entityRef) {
      query.where('entity_ref', normalizeRef(options.entityRef));
    }
    if (options.filter) {
      const filter = options.filter;
      query.where(builder => applyColumnFilter(builder, filter));
    }
    if (options.cursor) {
      const after = decodePlanCursor(options.cursor);
      // A row-value comparison lets the (…, created_at, id) indexes serve the
      // seek directly on both PostgreSQL and SQLite.
      query.whereRaw('(created_at, id) < (?, ?)', [
        new Date(after.createdAt),
        after.id,
      ]);
    }
    const rows = await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit + 1);

    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toStoredPlan),
      ...(rows.length > options.limit &&
        last && {
          nextCursor: encodePlanCursor({
            createdAt: readTimestamp(last.created_at).getTime(),
            id: last.id,
          }),
        }),
    };
  }
}

function toStoredPlan(row: PlanRow): StoredPlan {
  const plan = operationPlanSchema.parse(JSON.parse(row.plan));
  return row.owner_ref ? { plan, ownerRef: row.owner_ref } : { plan };
}
