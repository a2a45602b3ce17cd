import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import {
  OperationPlan,
  PlanListResponse,
  PlanStatus,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

/**
 * A plan as the store holds it: the contract, plus what the store records
 * beside it for permission decisions.
 */
export interface StoredPlan {
  plan: OperationPlan;
  /** The entity's owner when the plan was made (lower-cased), if known. */
  ownerRef?: string;
}

/** Plan columns a permission condition can filter on. */
export type PlanFilterColumn =
  | 'risk_level'
  | 'namespace'
  | 'cluster'
  | 'owner_ref'
  | 'requested_by';

/**
 * The query form of a plan permission rule (the `TQuery` of the
 * `kubecopilot-plan` resource): the column's value is one of `values`.
 * A NULL column matches no values.
 */
export interface PlanFilter {
  column: PlanFilterColumn;
  values: string[];
}

/** @see PlanStore.listPlans */
export interface ListPlansOptions {
  status?: PlanStatus;
  entityRef?: string;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  limit: number;
  /** Permission conditions, already transformed to filters. */
  filter?: PermissionCriteria<PlanFilter>;
}

/** One page of plans, newest first. */
export interface PlanPage {
  items: StoredPlan[];
  /** Present when more plans follow. */
  nextCursor?: string;
}

/** Persistence of operation plans. */
export interface PlanStore {
  /** Inserts a new plan. */
  createPlan(
    plan: OperationPlan,
    options?: { ownerRef?: string; tx?: Knex.Transaction },
  ): Promise<void>;
  /**
   * Replaces a plan if its revision is still `expectedRevision` (optimistic
   * lock) and returns it with the next revision; else a ConflictError. This is
   * what makes "exactly one execution" hold across requests and replicas.
   */
  updatePlan(
    plan: OperationPlan,
    options: {
      expectedRevision: number;
      tx?: Knex.Transaction;
      idempotencyKey?: string;
      executionResult?: unknown;
    },
  ): Promise<OperationPlan>;
  getExecutionReplay(
    id: string,
  ): Promise<{ idempotencyKey: string; result: unknown } | undefined>;
  /** Pending plans drafted before `before`, oldest first (for expiry). */
  listPendingBefore(before: Date, limit: number): Promise<StoredPlan[]>;
  /** Plans left `executing` (by a crash), reconciled on start-up. */
  listExecuting(): Promise<StoredPlan[]>;
  /** Plans whose revert was claimed and never settled (by a crash). */
  listRevertsInFlight(): Promise<StoredPlan[]>;
  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T>;
  getPlan(id: string): Promise<StoredPlan | undefined>;
  /** Loads plans by id, in the order asked; missing ids yield `undefined`. */
  getPlans(ids: string[]): Promise<Array<StoredPlan | undefined>>;
  /** Keyset-paginated, newest first (`created_at`, then `id`). */
  listPlans(options: ListPlansOptions): Promise<PlanPage>;
}

/** `GET /plans` query, as parsed from the request. */
export interface PlanListQuery {
  status?: PlanStatus;
  entityRef?: string;
  cursor?: string;
  limit: number;
}

/** Plan reads as the HTTP API offers them: permission checks applied. */
export interface PlanReader {
  /** @throws NotFoundError, NotAllowedError */
  getPlan(
    id: string,
    options: { credentials: BackstageCredentials },
  ): Promise<OperationPlan>;
  /** Only the plans the caller may read; a denied caller gets an empty page. */
  listPlans(
    query: PlanListQuery,
    options: { credentials: BackstageCredentials },
  ): Promise<PlanListResponse>;
}
