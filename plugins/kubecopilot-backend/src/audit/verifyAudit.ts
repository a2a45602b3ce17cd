import { Knex } from 'knex';
import { readTimestamp } from '../database/timestamps';
import { ChainVerifier } from './chain';
import {
  AuditCheckpoint,
  CheckpointKeyring,
  signatureHash,
} from './checkpoint';
import { AuditEntry, AuditVerification } from './types';

export const AUDIT_TABLE = 'kubecopilot_audit';
export const CHECKPOINT_TABLE = 'kubecopilot_audit_checkpoints';
const BATCH = 1_000;

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

export type CheckpointRow = {
  seq: number | string;
  head_id: number | string;
  head_hash: string;
  entry_count: number | string;
  signed_at: Date | number | string;
  key_id: string;
  reason: string;
  prev_signature_hash: string;
  signature: string;
};

export function toCheckpoint(row: CheckpointRow): AuditCheckpoint {
  return {
    seq: Number(row.seq),
    headId: Number(row.head_id),
    headHash: row.head_hash,
    count: Number(row.entry_count),
    signedAt: readTimestamp(row.signed_at).toISOString(),
    keyId: row.key_id,
    reason: row.reason,
    prevSignatureHash: row.prev_signature_hash,
    signature: row.signature,
  };
}

export function toCheckpointRow(checkpoint: AuditCheckpoint): CheckpointRow {
  return {
    seq: checkpoint.seq,
    head_id: checkpoint.headId,
    head_hash: checkpoint.headHash,
    entry_count: checkpoint.count,
    signed_at: new Date(checkpoint.signedAt),
    key_id: checkpoint.keyId,
    reason: checkpoint.reason,
    prev_signature_hash: checkpoint.prevSignatureHash,
    signature: checkpoint.signature,
  };
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

export interface VerifyAuditOptions {
  /** Without keys only the hash chain is checked (checkpoints not configured). */
  keyring?: CheckpointKeyring;
  /**
   * The newest checkpoint this process wrote or verified: it must still be
   * there, which catches deleting the newest checkpoints while it runs.
   */
  lastKnown?: { seq: number; headHash: string };
}

/**
 * Recomputes the hash chain and checks every checkpoint: its signature, its
 * link to the checkpoint before it, and that the entry it signed still has
 * the signed hash at the signed position. Memory is one batch of entries
 * plus the checkpoints (one per interval in which the chain grew).
 */
export async function verifyAuditDatabase(
  db: Knex,
  options: VerifyAuditOptions = {},
): Promise<AuditVerification> {
  const { keyring } = options;
  if (!keyring || keyring.size === 0) {
    const chain = await verifyChainTable(db);
    return {
      ...chain,
      signed: false,
      checkpoints: { configured: false, checked: 0 },
    };
  }

  const failures: Failure[] = [];
  const pending = await readCheckpoints(db, keyring, options, failures);
  const walk = await walkChain(db, pending, failures);
  return summarize(walk, pending, failures);
}

type Failure = { seq: number; reason: string };

/**
 * The checkpoints in order, each checked for its signature and its link to
 * the one before; those that verify are returned by the entry they sign.
 * Problems are added to `failures`.
 */
async function readCheckpoints(
  db: Knex,
  keyring: CheckpointKeyring,
  options: VerifyAuditOptions,
  failures: Failure[],
): Promise<Map<number, AuditCheckpoint>> {
  const pending = new Map<number, AuditCheckpoint>();
  let previous: AuditCheckpoint | undefined;
  let lastKnownSeen = false;
  // The offline command may meet a database from before checkpoints existed.
  const hasCheckpoints = await db.schema.hasTable(CHECKPOINT_TABLE);
  for await (const row of hasCheckpoints
    ? inOrder<CheckpointRow>(db, CHECKPOINT_TABLE, 'seq')
    : []) {
    const checkpoint = toCheckpoint(row);
    const expectedSeq = (previous?.seq ?? 0) + 1;
    if (checkpoint.seq !== expectedSeq) {
      failures.push({
        seq: expectedSeq,
        reason: `checkpoint ${expectedSeq} is missing (the next one is ${checkpoint.seq}): checkpoints were deleted`,
      });
      break;
    }
    const problem = checkpointProblem(checkpoint, previous, keyring);
    if (problem) {
      failures.push({ seq: checkpoint.seq, reason: problem });
      break;
    }
    if (
      options.lastKnown?.seq === checkpoint.seq &&
      options.lastKnown.headHash === checkpoint.headHash
    ) {
      lastKnownSeen = true;
    }
    pending.set(checkpoint.headId, checkpoint);
    previous = checkpoint;
  }
  if (options.lastKnown && !lastKnownSeen && failures.length === 0) {
    failures.push({
      seq: options.lastKnown.seq,
      reason: `checkpoint ${options.lastKnown.seq}, which this backend wrote or verified earlier, is gone or changed (checkpoints were deleted)`,
    });
  }
  return pending;
}

type ChainWalk = {
  chain: ReturnType<ChainVerifier['result']>;
  checkedCheckpoints: number;
  lastVerified?: AuditCheckpoint;
  mismatched: boolean;
};

/**
 * Recomputes the hash chain, matching each checkpoint against the entry it
 * signed; matched checkpoints are removed from `pending`.
 */
async function walkChain(
  db: Knex,
  pending: Map<number, AuditCheckpoint>,
  failures: Failure[],
): Promise<ChainWalk> {
  const verifier = new ChainVerifier();
  let checkedCheckpoints = 0;
  let lastVerified: AuditCheckpoint | undefined;
  let mismatched = false;
  for await (const row of inOrder<AuditRow>(db, AUDIT_TABLE, 'id')) {
    const entry = toEntry(row);
    if (!verifier.push(entry)) break;
    const checkpoint = pending.get(entry.id);
    // After the first mismatch the rest of the chain is still verified
    // (for `checked`), but later checkpoints prove nothing new.
    if (!checkpoint || mismatched) continue;
    pending.delete(entry.id);
    const checked = verifier.result().checked;
    if (checkpoint.headHash !== entry.hash || checkpoint.count !== checked) {
      failures.push({
        seq: checkpoint.seq,
        reason:
          `checkpoint ${checkpoint.seq} (signed ${checkpoint.signedAt}) signed entry ${checkpoint.headId} ` +
          `as entry number ${checkpoint.count} with hash ${checkpoint.headHash}; the chain now has ` +
          `entry number ${checked} with hash ${entry.hash} there: an entry ${
            lastVerified
              ? `after entry ${lastVerified.headId} and up to entry ${checkpoint.headId}`
              : `up to entry ${checkpoint.headId}`
          } was changed, inserted or deleted and the chain rehashed`,
      });
      mismatched = true;
      continue;
    }
    checkedCheckpoints += 1;
    lastVerified = checkpoint;
  }
  return {
    chain: verifier.result(),
    checkedCheckpoints,
    lastVerified,
    mismatched,
  };
}

/** The verification result: the chain's, plus what the checkpoints showed. */
function summarize(
  walk: ChainWalk,
  pending: Map<number, AuditCheckpoint>,
  failures: Failure[],
): AuditVerification {
  const { chain: chainResult, checkedCheckpoints, lastVerified } = walk;
  if (chainResult.ok && !walk.mismatched && pending.size > 0) {
    // The chain verified to its end but never reached these heads.
    const missing = [...pending.values()].sort((a, b) => a.seq - b.seq)[0];
    failures.push({
      seq: missing.seq,
      reason: `checkpoint ${missing.seq} (signed ${missing.signedAt}) signed entry ${missing.headId}, which is no longer in the chain (entries were deleted)`,
    });
  }

  const firstFailure = failures.sort((a, b) => a.seq - b.seq)[0];
  const ok = chainResult.ok && !firstFailure;
  return {
    ...chainResult,
    ok,
    ...(firstFailure && chainResult.ok ? { reason: firstFailure.reason } : {}),
    signed: ok && checkedCheckpoints > 0,
    checkpoints: {
      configured: true,
      checked: checkedCheckpoints,
      ...(lastVerified
        ? {
            lastSeq: lastVerified.seq,
            lastSignedAt: lastVerified.signedAt,
            lastHeadId: lastVerified.headId,
          }
        : {}),
      ...(ok
        ? {
            entriesAfterLastCheckpoint:
              chainResult.checked - (lastVerified?.count ?? 0),
          }
        : {}),
      ...(firstFailure
        ? {
            firstBrokenCheckpointId: firstFailure.seq,
            reason: firstFailure.reason,
          }
        : {}),
    },
  };
}

function checkpointProblem(
  checkpoint: AuditCheckpoint,
  previous: AuditCheckpoint | undefined,
  keyring: CheckpointKeyring,
): string | undefined {
  const signatureProblem = keyring.check(checkpoint);
  if (signatureProblem) return signatureProblem;
  if (checkpoint.prevSignatureHash !== signatureHash(previous)) {
    return `checkpoint ${checkpoint.seq} does not link to checkpoint ${
      checkpoint.seq - 1
    } (a checkpoint was replaced)`;
  }
  if (
    previous &&
    (checkpoint.headId <= previous.headId || checkpoint.count <= previous.count)
  ) {
    return `checkpoint ${checkpoint.seq} signs an older head than checkpoint ${previous.seq}`;
  }
  return undefined;
}

/** The hash chain alone. */
export async function verifyChainTable(db: Knex): Promise<AuditVerification> {
  const verifier = new ChainVerifier();
  for await (const row of inOrder<AuditRow>(db, AUDIT_TABLE, 'id')) {
    if (!verifier.push(toEntry(row))) break;
  }
  return verifier.result();
}

/**
 * A table's rows in key order, read in batches by keyset, so a table of any
 * length is walked in constant memory.
 */
async function* inOrder<Row extends Record<string, unknown>>(
  db: Knex,
  table: string,
  key: 'id' | 'seq',
): AsyncGenerator<Row> {
  let after = -1;
  for (;;) {
    const rows: Row[] = await db(table)
      .where(key, '>', after)
      .orderBy(key, 'asc')
      .limit(BATCH);
    if (rows.length === 0) return;
    yield* rows;
    after = Number(rows[rows.length - 1][key]);
  }
}
