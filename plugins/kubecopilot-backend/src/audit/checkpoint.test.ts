import { generateKeyPairSync } from 'node:crypto';
import { GENESIS_HASH } from './canonical';
import {
  CheckpointKeyring,
  CheckpointSigner,
  signatureHash,
  UnsignedCheckpoint,
} from './checkpoint';

const pemOf = (type: 'ed25519' | 'rsa') => {
  const { privateKey, publicKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 1024 })
      : generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};

const unsigned: UnsignedCheckpoint = {
  seq: 1,
  headId: 42,
  headHash: 'a'.repeat(64),
  count: 40,
  signedAt: '2026-12-06T21:00:00.000Z',
  reason: 'scheduled',
  prevSignatureHash: GENESIS_HASH,
};

describe('audit checkpoints', () => {
  const key = pemOf('ed25519');
  const signer = CheckpointSigner.fromPem(key.privatePem);
  const keyring = CheckpointKeyring.fromPem([key.publicPem]);

  it('signs with an id derived from the public key, and verifies', () => {
    const checkpoint = signer.sign(unsigned);
    expect(checkpoint.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(keyring.keyIds()).toEqual([checkpoint.keyId]);
    expect(Buffer.from(checkpoint.signature, 'base64')).toHaveLength(64);
    expect(keyring.check(checkpoint)).toBeUndefined();
  });

  it.each([
    ['headHash', 'b'.repeat(64)],
    ['headId', 43],
    ['count', 41],
    ['seq', 2],
    ['signedAt', '2026-12-06T21:00:00.001Z'],
    ['reason', 'plan.executed'],
    ['prevSignatureHash', 'c'.repeat(64)],
  ])('refuses a checkpoint whose %s was changed', (field, value) => {
    const checkpoint = { ...signer.sign(unsigned), [field]: value };
    expect(keyring.check(checkpoint)).toMatch(/does not match its signature/);
  });

  it('refuses a checkpoint signed by a key it does not know', () => {
    const other = CheckpointSigner.fromPem(pemOf('ed25519').privatePem);
    expect(keyring.check(other.sign(unsigned))).toMatch(
      /not among the configured public keys/,
    );
    // Claiming the known key's id does not help either.
    const claimed = { ...other.sign(unsigned), keyId: signer.keyId };
    expect(keyring.check(claimed)).toMatch(/does not match its signature/);
  });

  it('keeps a retired key verifying after a rotation', () => {
    const next = pemOf('ed25519');
    const both = CheckpointKeyring.fromPem([
      `${next.publicPem}\n${key.publicPem}`,
    ]);
    expect(both.size).toBe(2);
    expect(both.check(signer.sign(unsigned))).toBeUndefined();
    expect(
      both.check(CheckpointSigner.fromPem(next.privatePem).sign(unsigned)),
    ).toBeUndefined();
  });

  it('derives the same public key from the private one', () => {
    expect(CheckpointKeyring.fromPem([signer.publicKeyPem()]).keyIds()).toEqual(
      keyring.keyIds(),
    );
  });

  it('refuses keys that are not Ed25519, without echoing them', () => {
    const rsa = pemOf('rsa');
    expect(() => CheckpointSigner.fromPem(rsa.privatePem)).toThrow(
      'must be an Ed25519 key, not rsa',
    );
    expect(() => CheckpointKeyring.fromPem([rsa.publicPem])).toThrow(
      'must be Ed25519, not rsa',
    );
    const garbage =
      '-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----';
    let message = '';
    try {
      CheckpointSigner.fromPem(garbage);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      'kubecopilot.audit.signingKey is not a readable PEM private key',
    );
  });

  it('links a checkpoint to the signature before it', () => {
    const first = signer.sign(unsigned);
    expect(signatureHash(undefined)).toBe(GENESIS_HASH);
    expect(signatureHash(first)).toMatch(/^[0-9a-f]{64}$/);
    expect(signatureHash(first)).not.toBe(
      signatureHash(signer.sign({ ...unsigned, count: 41 })),
    );
  });
});
