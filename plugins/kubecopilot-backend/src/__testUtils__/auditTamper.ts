import { Knex } from 'knex';
import { GENESIS_HASH } from '../audit/canonical';
import { chainHash } from '../audit/chain';
import { AuditRow, toEntry } from '../audit/verifyAudit';

/**
 * What an attacker with database write access does: change one entry's
 * columns, then recompute `prev_hash` and `hash` of every entry so the hash
 * chain verifies again. Plain SQL through knex, no KubeCopilot code path.
 */
export async function rewriteAndRehash(
  knex: Knex,
  id: number,
  changes: Partial<Omit<AuditRow, 'id' | 'hash' | 'prev_hash'>>,
): Promise<void> {
  await knex('kubecopilot_audit').where('id', id).update(changes);
  await rehashChain(knex);
}

/** Recomputes every entry's link and hash in id order. */
export async function rehashChain(knex: Knex): Promise<void> {
  const rows: AuditRow[] = await knex('kubecopilot_audit').orderBy('id');
  let prev = GENESIS_HASH;
  for (const row of rows) {
    const hash = chainHash(prev, toEntry({ ...row, prev_hash: prev }));
    if (row.prev_hash !== prev || row.hash !== hash) {
      await knex('kubecopilot_audit')
        .where('id', row.id)
        .update({ prev_hash: prev, hash });
    }
    prev = hash;
  }
}
