import { canonicalJson, GENESIS_HASH, sha256 } from './canonical';
import { AuditEntry, AuditVerification } from './types';

/** The part of an entry the hash covers: everything but its id and hashes. */
export function hashedContent(
  entry: Omit<AuditEntry, 'id' | 'hash' | 'prevHash'>,
) {
  return canonicalJson({
    planId: entry.planId ?? null,
    entityRef: entry.entityRef,
    actor: entry.actor,
    action: entry.action,
    beforeHash: entry.beforeHash ?? null,
    afterHash: entry.afterHash ?? null,
    payload: entry.payload,
    createdAt: entry.createdAt,
  });
}

/** `hash = SHA-256(previous hash ‖ canonical JSON of the entry)`. */
export function chainHash(
  prevHash: string,
  entry: Omit<AuditEntry, 'id' | 'hash' | 'prevHash'>,
): string {
  return sha256(prevHash + hashedContent(entry));
}

/**
 * Checks entries one at a time in id order, so a chain of any length is
 * verified in constant memory. An edited entry fails its own hash; a deleted,
 * inserted or reordered one breaks the link of the entry after it.
 */
export class ChainVerifier {
  #expectedPrev = GENESIS_HASH;
  #checked = 0;
  #broken?: AuditVerification;

  /** Returns false once the chain is broken; later entries are ignored. */
  push(entry: AuditEntry): boolean {
    if (this.#broken) return false;
    if (entry.prevHash !== this.#expectedPrev) {
      this.#broken = {
        ok: false,
        checked: this.#checked,
        firstBrokenId: entry.id,
        reason: `entry ${entry.id} does not link to the entry before it (an entry was deleted, inserted or reordered)`,
      };
      return false;
    }
    if (chainHash(entry.prevHash, entry) !== entry.hash) {
      this.#broken = {
        ok: false,
        checked: this.#checked,
        firstBrokenId: entry.id,
        reason: `entry ${entry.id} does not match its hash (its content was changed)`,
      };
      return false;
    }
    this.#expectedPrev = entry.hash;
    this.#checked += 1;
    return true;
  }

  result(): AuditVerification {
    return this.#broken ?? { ok: true, checked: this.#checked };
  }
}

/** Verifies a whole chain held in memory (the offline script uses this). */
export function verifyChain(entries: Iterable<AuditEntry>): AuditVerification {
  const verifier = new ChainVerifier();
  for (const entry of entries) {
    if (!verifier.push(entry)) break;
  }
  return verifier.result();
}
