import {
  createHash,
  createPrivateKey,
  createPublicKey,
  KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { canonicalJson, GENESIS_HASH, sha256 } from './canonical';

/**
 * A signed statement "the audit chain had `count` entries and its head,
 * entry `headId`, had hash `headHash`". Whoever can write the database but
 * does not hold the signing key cannot rehash the chain under it unseen.
 */
export interface AuditCheckpoint {
  /** 1, 2, 3, … without gaps, so a deleted checkpoint shows. */
  seq: number;
  headId: number;
  headHash: string;
  /** Entries from the first up to and including `headId`. */
  count: number;
  signedAt: string;
  keyId: string;
  /** Why it was written: `scheduled`, or the audited action (`plan.executed`, …). */
  reason: string;
  /** SHA-256 of the previous checkpoint's signature (genesis for the first). */
  prevSignatureHash: string;
  /** Ed25519 over {@link checkpointMessage}, base64. */
  signature: string;
}

export type UnsignedCheckpoint = Omit<AuditCheckpoint, 'signature' | 'keyId'>;

/**
 * The bytes a signature covers: every field but the signature, under a
 * domain tag so a checkpoint signature can never pass for anything else.
 */
export function checkpointMessage(
  checkpoint: Omit<AuditCheckpoint, 'signature'>,
): Buffer {
  return Buffer.from(
    canonicalJson({
      type: 'kubecopilot.audit.checkpoint/v1',
      seq: checkpoint.seq,
      headId: checkpoint.headId,
      headHash: checkpoint.headHash,
      count: checkpoint.count,
      signedAt: checkpoint.signedAt,
      keyId: checkpoint.keyId,
      reason: checkpoint.reason,
      prevSignatureHash: checkpoint.prevSignatureHash,
    }),
    'utf8',
  );
}

/** What links a checkpoint to the one before it. */
export function signatureHash(previous?: { signature: string }): string {
  return previous ? sha256(previous.signature) : GENESIS_HASH;
}

/**
 * A key's id: the first 16 hex digits of the SHA-256 of its public key
 * (SPKI DER), so the signer and every verifier derive the same id without
 * configuring one.
 */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** Signs checkpoints with an Ed25519 private key. */
export class CheckpointSigner {
  readonly keyId: string;
  readonly publicKey: KeyObject;

  private constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(this.publicKey);
  }

  /** From a PEM (PKCS#8) Ed25519 private key; anything else is refused. */
  static fromPem(pem: string): CheckpointSigner {
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch {
      // Never echo the key material, not even in part.
      throw new Error(
        'kubecopilot.audit.signingKey is not a readable PEM private key',
      );
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new Error(
        `kubecopilot.audit.signingKey must be an Ed25519 key, not ${key.asymmetricKeyType}`,
      );
    }
    return new CheckpointSigner(key);
  }

  static fromKeyObject(key: KeyObject): CheckpointSigner {
    return new CheckpointSigner(key);
  }

  sign(unsigned: UnsignedCheckpoint): AuditCheckpoint {
    const withKey = { ...unsigned, keyId: this.keyId };
    const signature = sign(
      null,
      checkpointMessage(withKey),
      this.privateKey,
    ).toString('base64');
    return { ...withKey, signature };
  }

  publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }
}

/** The public keys checkpoints are verified with, by key id. */
export class CheckpointKeyring {
  private constructor(private readonly keys: Map<string, KeyObject>) {}

  static of(keys: KeyObject[]): CheckpointKeyring {
    return new CheckpointKeyring(new Map(keys.map(k => [keyIdOf(k), k])));
  }

  /**
   * From PEM text: each string may hold several `PUBLIC KEY` blocks (a
   * private key is accepted too and reduced to its public half).
   */
  static fromPem(pems: string[]): CheckpointKeyring {
    const keys: KeyObject[] = [];
    for (const pem of pems) {
      const blocks = pem.match(
        /-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g,
      );
      if (!blocks) throw new Error('no PEM key found in a public key');
      for (const block of blocks) {
        const key = createPublicKey(block);
        if (key.asymmetricKeyType !== 'ed25519') {
          throw new Error(
            `audit checkpoint keys must be Ed25519, not ${key.asymmetricKeyType}`,
          );
        }
        keys.push(key);
      }
    }
    return CheckpointKeyring.of(keys);
  }

  get size(): number {
    return this.keys.size;
  }

  keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** Why the checkpoint's signature does not verify, or undefined when it does. */
  check(checkpoint: AuditCheckpoint): string | undefined {
    const key = this.keys.get(checkpoint.keyId);
    if (!key) {
      return `checkpoint ${checkpoint.seq} is signed with key ${checkpoint.keyId}, which is not among the configured public keys`;
    }
    let valid = false;
    try {
      valid = verify(
        null,
        checkpointMessage(checkpoint),
        key,
        Buffer.from(checkpoint.signature, 'base64'),
      );
    } catch {
      valid = false;
    }
    return valid
      ? undefined
      : `checkpoint ${checkpoint.seq} does not match its signature (it was forged or changed)`;
  }
}
