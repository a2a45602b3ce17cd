import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { mockServices } from '@backstage/backend-test-utils';
import { rewriteAndRehash } from '../__testUtils__/auditTamper';
import { CheckpointSigner } from './checkpoint';
import { DatabaseAuditStore } from './DatabaseAuditStore';
import { runVerifyCli } from './verifyCli';

const noEnv = {};

describe('kubecopilot-audit-verify', () => {
  it('verifies a SQLite audit table offline and names a tampered entry', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kc-audit-')), 'audit.sqlite');
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
    });
    const store = await DatabaseAuditStore.create({
      database: mockServices.database({ knex }),
    });
    for (const action of ['plan.created', 'plan.approved', 'plan.executed']) {
      await store.append({
        entityRef: 'component:default/checkout',
        actor: 'user:default/a',
        action,
      });
    }
    const lines: string[] = [];
    await expect(
      runVerifyCli(['--sqlite', file], l => lines.push(l), noEnv),
    ).resolves.toBe(0);
    expect(JSON.parse(lines[0])).toEqual({
      ok: true,
      checked: 3,
      signed: false,
      checkpoints: { configured: false, checked: 0 },
    });

    await knex('kubecopilot_audit')
      .where('action', 'plan.approved')
      .update({ actor: 'user:default/mallory' });
    const broken = (
      await knex('kubecopilot_audit').where('action', 'plan.approved').first()
    ).id;
    await knex.destroy();
    await expect(
      runVerifyCli(['--sqlite', file], l => lines.push(l), noEnv),
    ).resolves.toBe(1);
    expect(JSON.parse(lines[1])).toMatchObject({
      ok: false,
      firstBrokenId: Number(broken),
    });
  });

  it('checks signed checkpoints with a public key file, and catches a rehashed chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-audit-'));
    const file = join(dir, 'audit.sqlite');
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
    });
    const signer = CheckpointSigner.fromKeyObject(
      generateKeyPairSync('ed25519').privateKey,
    );
    const keyFile = join(dir, 'audit-public.pem');
    writeFileSync(keyFile, signer.publicKeyPem());
    const store = await DatabaseAuditStore.create({
      database: mockServices.database({ knex }),
      checkpoints: { signer },
    });
    for (const action of ['plan.created', 'plan.approved', 'plan.executed']) {
      await store.append({
        entityRef: 'component:default/checkout',
        actor: 'user:default/a',
        action,
      });
    }
    const lines: string[] = [];
    const run = (args: string[], env: Record<string, string> = noEnv) =>
      runVerifyCli(['--sqlite', file, ...args], l => lines.push(l), env);

    await expect(run(['--public-key', keyFile])).resolves.toBe(0);
    expect(JSON.parse(lines.pop()!)).toMatchObject({
      ok: true,
      checked: 3,
      signed: true,
      checkpoints: {
        configured: true,
        checked: 1,
        entriesAfterLastCheckpoint: 0,
      },
    });
    // The key as PEM text in the environment does the same.
    await expect(
      run([], { KUBECOPILOT_AUDIT_PUBLIC_KEYS: signer.publicKeyPem() }),
    ).resolves.toBe(0);
    expect(JSON.parse(lines.pop()!)).toMatchObject({ ok: true, signed: true });

    const approved = await knex('kubecopilot_audit')
      .where('action', 'plan.approved')
      .first();
    await rewriteAndRehash(knex, Number(approved.id), {
      actor: 'user:default/mallory',
    });
    await knex.destroy();

    // Without the key the rehashed chain passes: that is why checkpoints exist.
    await expect(run([])).resolves.toBe(0);
    lines.pop();
    await expect(run(['--public-key', keyFile])).resolves.toBe(1);
    expect(JSON.parse(lines.pop()!)).toMatchObject({
      ok: false,
      signed: false,
      checkpoints: { firstBrokenCheckpointId: 1 },
    });
  });

  it('verifies a database from before checkpoints existed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kc-audit-')), 'audit.sqlite');
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
    });
    const store = await DatabaseAuditStore.create({
      database: mockServices.database({ knex }),
    });
    await store.append({
      entityRef: 'component:default/checkout',
      actor: 'user:default/a',
      action: 'plan.created',
    });
    await knex.schema.dropTable('kubecopilot_audit_checkpoints');
    await knex.destroy();
    const signer = CheckpointSigner.fromKeyObject(
      generateKeyPairSync('ed25519').privateKey,
    );
    const lines: string[] = [];
    await expect(
      runVerifyCli(['--sqlite', file], l => lines.push(l), {
        KUBECOPILOT_AUDIT_PUBLIC_KEYS: signer.publicKeyPem(),
      }),
    ).resolves.toBe(0);
    expect(JSON.parse(lines[0])).toEqual({
      ok: true,
      checked: 1,
      signed: false,
      checkpoints: {
        configured: true,
        checked: 0,
        entriesAfterLastCheckpoint: 1,
      },
    });
  });

  it('prints usage on bad arguments', async () => {
    const lines: string[] = [];
    await expect(runVerifyCli([], l => lines.push(l))).resolves.toBe(2);
    expect(lines[0]).toMatch(/^Usage/);
    for (const args of [
      ['--sqlite'],
      ['--sqlite', 'a', '--pg', 'b'],
      ['--sqlite', 'a', '--public-key'],
      ['--sqlite', 'a', '--key', 'b'],
    ]) {
      await expect(runVerifyCli(args, l => lines.push(l))).resolves.toBe(2);
    }
    expect(lines).toHaveLength(5);
  });
});
