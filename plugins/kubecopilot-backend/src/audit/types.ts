import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { ColumnFilter } from '../database/columnFilter';

/** What an audit entry records. Secret values never belong here. */
export interface AuditEntryInput {
  planId?: string;
  entityRef: string;
  /** A user entity ref, or `plugin:<id>` for the backend acting on its own. */
  actor: string;
  /** `plan.created`, `plan.approved`, `plan.executed`, `diagnosis.created`, … */
  action: string;
  /** The object before and after the change; only their hashes are stored. */
  before?: unknown;
  after?: unknown;
  /** Details: comments, reasons, step results, prompt version, model… */
  payload?: Record<string, unknown>;
}

export interface AuditEntry {
  id: number;
  planId?: string;
  entityRef: string;
  actor: string;
  action: string;
  beforeHash?: string;
  afterHash?: string;
  payload: Record<string, unknown>;
  createdAt: string;
  prevHash: string;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first entry whose hash or link does not verify. */
  firstBrokenId?: number;
  reason?: string;
  /**
   * True when checkpoints are configured, at least one was checked and
   * everything verified: the chain up to the last checkpoint is as signed.
   */
  signed?: boolean;
  checkpoints?: CheckpointVerification;
}

/** The signed checkpoints of the chain head, as verified. */
export interface CheckpointVerification {
  /** False without public keys: only the hash chain was checked. */
  configured: boolean;
  /** Checkpoints whose signature, link and signed head verified. */
  checked: number;
  /** The newest verified checkpoint. */
  lastSeq?: number;
  lastSignedAt?: string;
  lastHeadId?: number;
  /**
   * Entries after the newest verified checkpoint: no signature covers them
   * yet, so they could be deleted or rewritten unseen.
   */
  entriesAfterLastCheckpoint?: number;
  /** The first checkpoint that does not verify, by its `seq`. */
  firstBrokenCheckpointId?: number;
  reason?: string;
}

/** @see AuditStore.listPage */
export interface AuditListOptions {
  planId?: string;
  entityRef?: string;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  limit: number;
  /**
   * Permission conditions, as filters on the entry's entity. An entry about
   * no entity never matches a filter.
   */
  filter?: PermissionCriteria<ColumnFilter<'entity_ref'>>;
}

/** Audit entries, newest first. */
export interface AuditPage {
  items: AuditEntry[];
  /** Present when older entries follow. */
  nextCursor?: string;
}

export interface AuditStore {
  /**
   * Appends an entry. Pass the transaction of the change being audited so
   * the change and its entry commit or fail together.
   */
  append(entry: AuditEntryInput, tx?: Knex.Transaction): Promise<AuditEntry>;
  /** The newest `limit` (default 500) matching entries, oldest first. */
  list(filter: {
    planId?: string;
    entityRef?: string;
    limit?: number;
  }): Promise<AuditEntry[]>;
  /** One page of matching entries, newest first (`GET /audit`). */
  listPage(options: AuditListOptions): Promise<AuditPage>;
  verify(): Promise<AuditVerification>;
}
