import { generateKeyPairSync } from 'node:crypto';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { rehashChain, rewriteAndRehash } from '../__testUtils__/auditTamper';
import {
  AuditCheckpoint,
  CheckpointKeyring,
  CheckpointSigner,
} from './checkpoint';
import {
  AuditCheckpointOptions,
  DatabaseAuditStore,
} from './DatabaseAuditStore';
import { verifyChainTable } from './verifyAudit';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const newSigner = () =>
  CheckpointSigner.fromKeyObject(generateKeyPairSync('ed25519').privateKey);
const keyringOf = (...signers: CheckpointSigner[]) =>
  CheckpointKeyring.fromPem(signers.map(s => s.publicKeyPem()));

const entry = (action: string, n = 0) => ({
  planId: 'p1',
  entityRef: 'component:default/checkout',
  actor: 'user:default/alice',
  action,
  payload: { n },
});

describe.each(databases.eachSupportedId())('audit checkpoints on %p', id => {
  const signer = newSigner();
  let knex: Knex;

  const storeOf = (options: AuditCheckpointOptions) =>
    DatabaseAuditStore.create({
      database: mockServices.database({ knex }),
      checkpoints: options,
    });

  /**
   * created, approved (checkpoint 1 by the schedule), executed (checkpoint 2
   * in the same transaction), then a diagnosis nothing signs yet.
   */
  async function history(extra: Partial<AuditCheckpointOptions> = {}) {
    knex = await databases.init(id);
    const published: AuditCheckpoint[] = [];
    const store = await storeOf({
      signer,
      keyring: keyringOf(signer),
      publish: c => {
        published.push(c);
      },
      ...extra,
    });
    await store.append(entry('plan.created'));
    await store.append(entry('plan.approved'));
    await store.checkpoint();
    await store.append(entry('plan.executed'));
    await store.append(entry('diagnosis.created'));
    const ids = (
      await knex('kubecopilot_audit').orderBy('id').select('id')
    ).map(r => Number(r.id));
    return { store, ids, published };
  }

  it('signs the head on schedule and with every cluster write, linked and verified', async () => {
    const { store, ids, published } = await history();
    const rows = await knex('kubecopilot_audit_checkpoints').orderBy('seq');
    expect(
      rows.map(r => [
        Number(r.seq),
        Number(r.head_id),
        Number(r.entry_count),
        r.reason,
      ]),
    ).toEqual([
      [1, ids[1], 2, 'scheduled'],
      [2, ids[2], 3, 'plan.executed'],
    ]);
    expect(published.map(c => c.seq)).toEqual([1, 2]);
    expect(published[1]).toMatchObject({
      headId: ids[2],
      keyId: signer.keyId,
      signature: rows[1].signature,
    });

    await expect(store.verify()).resolves.toEqual({
      ok: true,
      checked: 4,
      signed: true,
      checkpoints: {
        configured: true,
        checked: 2,
        lastSeq: 2,
        lastSignedAt: published[1].signedAt,
        lastHeadId: ids[2],
        entriesAfterLastCheckpoint: 1,
      },
    });
    // An already signed head is not signed again.
    await expect(store.checkpoint()).resolves.toMatchObject({ seq: 3 });
    await expect(store.checkpoint()).resolves.toBeUndefined();
    expect(
      await knex('kubecopilot_audit_checkpoints').select('seq'),
    ).toHaveLength(3);
    await expect(store.verify()).resolves.toMatchObject({
      ok: true,
      checkpoints: { checked: 3, entriesAfterLastCheckpoint: 0 },
    });
  });

  it('catches an entry rewritten and the whole chain rehashed', async () => {
    const { ids } = await history();
    await rewriteAndRehash(knex, ids[1], {
      actor: 'user:default/mallory',
    });
    // The hash chain alone is fooled…
    await expect(verifyChainTable(knex)).resolves.toEqual({
      ok: true,
      checked: 4,
    });
    // …the signed checkpoints are not, even for a backend that never saw them.
    const fresh = await storeOf({ keyring: keyringOf(signer) });
    const result = await fresh.verify();
    expect(result).toMatchObject({
      ok: false,
      checked: 4,
      signed: false,
      reason: expect.stringMatching(/^checkpoint 1 \(signed /),
      checkpoints: {
        configured: true,
        checked: 0,
        firstBrokenCheckpointId: 1,
        reason: expect.stringMatching(
          new RegExp(
            `signed entry ${ids[1]} as entry number 2 with hash [0-9a-f]{64}; the chain now has entry number 2 with hash [0-9a-f]{64} there: an entry up to entry ${ids[1]} was changed`,
          ),
        ),
      },
    });
  });

  it('names the first checkpoint after the edit, and the range it lies in', async () => {
    const { ids, store } = await history();
    await rewriteAndRehash(knex, ids[2], {
      payload: JSON.stringify({ n: 'nothing happened' }),
    });
    await expect(store.verify()).resolves.toMatchObject({
      ok: false,
      checkpoints: {
        checked: 1,
        lastSeq: 1,
        firstBrokenCheckpointId: 2,
        reason: expect.stringContaining(
          `an entry after entry ${ids[1]} and up to entry ${ids[2]} was changed`,
        ),
      },
    });
  });

  it('catches a checkpoint re-signed or edited to match a rehashed chain', async () => {
    const { ids } = await history();
    await rewriteAndRehash(knex, ids[0], { actor: 'user:default/mallory' });
    const heads = await knex('kubecopilot_audit').orderBy('id');
    // Editing the signed hash breaks the signature…
    await knex('kubecopilot_audit_checkpoints')
      .where('seq', 1)
      .update({ head_hash: heads[1].hash });
    const store = await storeOf({ keyring: keyringOf(signer) });
    await expect(store.verify()).resolves.toMatchObject({
      ok: false,
      checkpoints: {
        firstBrokenCheckpointId: 1,
        reason:
          'checkpoint 1 does not match its signature (it was forged or changed)',
      },
    });
    // …and a key of one's own is not among the configured ones.
    const mallory = newSigner();
    const row = await knex('kubecopilot_audit_checkpoints')
      .where('seq', 1)
      .first();
    const forged = mallory.sign({
      seq: 1,
      headId: Number(row.head_id),
      headHash: heads[1].hash,
      count: 2,
      signedAt: new Date().toISOString(),
      reason: 'scheduled',
      prevSignatureHash: row.prev_signature_hash,
    });
    await knex('kubecopilot_audit_checkpoints')
      .where('seq', 1)
      .update({
        key_id: forged.keyId,
        signed_at: new Date(forged.signedAt),
        signature: forged.signature,
      });
    await expect(store.verify()).resolves.toMatchObject({
      ok: false,
      checkpoints: {
        firstBrokenCheckpointId: 1,
        reason: expect.stringContaining('not among the configured public keys'),
      },
    });
  });

  it('catches a deleted checkpoint in the middle, and deleted entries a checkpoint covers', async () => {
    const { store } = await history();
    await store.append(entry('plan.reverted'));
    await knex('kubecopilot_audit_checkpoints').where('seq', 2).delete();
    await expect(store.verify()).resolves.toMatchObject({
      ok: false,
      checkpoints: {
        firstBrokenCheckpointId: 2,
        reason:
          'checkpoint 2 is missing (the next one is 3): checkpoints were deleted',
      },
    });

    const { store: again, ids: againIds } = await history();
    expect(againIds).toHaveLength(4);
    // Delete the executed entry and everything after it, then rehash: the
    // chain is whole again but shorter than checkpoint 2 says.
    await knex('kubecopilot_audit').where('id', '>=', againIds[2]).delete();
    await rehashChain(knex);
    await expect(again.verify()).resolves.toMatchObject({
      ok: false,
      checked: 2,
      checkpoints: {
        checked: 1,
        firstBrokenCheckpointId: 2,
        reason: expect.stringContaining(
          `signed entry ${againIds[2]}, which is no longer in the chain`,
        ),
      },
    });
  });

  it('cannot see entries deleted after the last checkpoint (the documented limit)', async () => {
    const { ids } = await history();
    await knex('kubecopilot_audit').where('id', ids[3]).delete();
    const store = await storeOf({ keyring: keyringOf(signer) });
    await expect(store.verify()).resolves.toMatchObject({
      ok: true,
      signed: true,
      checkpoints: { checked: 2, entriesAfterLastCheckpoint: 0 },
    });
  });

  it('notices its own newest checkpoint deleted, and refuses to sign over it', async () => {
    const { store } = await history();
    await knex('kubecopilot_audit_checkpoints').where('seq', 2).delete();
    await expect(store.verify()).resolves.toMatchObject({
      ok: false,
      checkpoints: {
        firstBrokenCheckpointId: 2,
        reason: expect.stringContaining('checkpoints were deleted'),
      },
    });
    await expect(store.checkpoint()).rejects.toThrow(
      'checkpoint 2 was deleted from the database; refusing to sign the chain head',
    );
    const maxSeq = await knex('kubecopilot_audit_checkpoints').max({
      m: 'seq',
    });
    expect(Number(maxSeq[0].m)).toBe(1);
  });

  it('refuses to sign a head whose signed entry changed, yet keeps the audited write', async () => {
    const errors: string[] = [];
    const { store, ids } = await history({
      logger: {
        ...mockServices.logger.mock(),
        error: (message: string) => {
          errors.push(message);
        },
      } as any,
    });
    await rewriteAndRehash(knex, ids[0], { actor: 'user:default/mallory' });
    await expect(store.checkpoint()).rejects.toThrow(
      `entry ${ids[2]} no longer has the hash checkpoint 2 signed`,
    );
    // A cluster write's entry still commits; only its checkpoint is skipped.
    const executed = await store.append(entry('plan.executed', 2));
    expect(
      await knex('kubecopilot_audit').where('id', executed.id).first(),
    ).toBeDefined();
    expect(errors).toEqual([
      expect.stringContaining(
        'Audit checkpoint after plan.executed was not written: entry',
      ),
    ]);
  });

  it('writes no checkpoint when the write it belongs to rolls back', async () => {
    const { store, published } = await history();
    await expect(
      knex.transaction(async tx => {
        await store.append(entry('plan.reverted'), tx);
        throw new Error('the plan update failed');
      }),
    ).rejects.toThrow('the plan update failed');
    await new Promise(r => setImmediate(r));
    expect(published.map(c => c.seq)).toEqual([1, 2]);
    const rows = await knex('kubecopilot_audit_checkpoints').select('seq');
    expect(rows).toHaveLength(2);
    await expect(store.verify()).resolves.toMatchObject({
      ok: true,
      signed: true,
    });
  });

  it('verifies checkpoints of a retired key after a rotation', async () => {
    await history();
    const next = newSigner();
    const rotated = await storeOf({
      signer: next,
      keyring: keyringOf(next, signer),
    });
    const executed = await rotated.append(entry('plan.executed', 9));
    await expect(rotated.verify()).resolves.toMatchObject({
      ok: true,
      checkpoints: { checked: 3, lastHeadId: executed.id },
    });
    const forgotOld = await storeOf({ keyring: keyringOf(next) });
    await expect(forgotOld.verify()).resolves.toMatchObject({
      ok: false,
      checkpoints: {
        firstBrokenCheckpointId: 1,
        reason: expect.stringContaining(`signed with key ${signer.keyId}`),
      },
    });
  });

  it('says checkpoints are not configured without keys, and writes none', async () => {
    knex = await databases.init(id);
    const store = await storeOf({});
    await store.append(entry('plan.executed'));
    await expect(store.checkpoint()).resolves.toBeUndefined();
    await expect(store.verify()).resolves.toEqual({
      ok: true,
      checked: 1,
      signed: false,
      checkpoints: { configured: false, checked: 0 },
    });
    expect(await knex('kubecopilot_audit_checkpoints').select()).toEqual([]);
  });

  it('numbers checkpoints without gaps under concurrent writes and schedules', async () => {
    const { store } = await history();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 3 === 0
          ? store.checkpoint()
          : store.append(
              entry(i % 3 === 1 ? 'plan.executed' : 'diagnosis.created', i),
            ),
      ),
    );
    const seqs = (
      await knex('kubecopilot_audit_checkpoints').orderBy('seq').select('seq')
    ).map(r => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(seqs.length).toBeGreaterThanOrEqual(2 + 4);
    await expect(store.verify()).resolves.toMatchObject({
      ok: true,
      signed: true,
      checked: 12,
      checkpoints: { checked: seqs.length },
    });
  });
});
