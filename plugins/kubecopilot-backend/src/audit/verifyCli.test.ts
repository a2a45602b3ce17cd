import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { mockServices } from '@backstage/backend-test-utils';
import { DatabaseAuditStore } from './DatabaseAuditStore';
import { runVerifyCli } from './verifyCli';

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
      runVerifyCli(['--sqlite', file], l => lines.push(l)),
    ).resolves.toBe(0);
    expect(JSON.parse(lines[0])).toEqual({ ok: true, checked: 3 });

    await knex('kubecopilot_audit')
      .where('action', 'plan.approved')
      .update({ actor: 'user:default/mallory' });
    const broken = (
      await knex('kubecopilot_audit').where('action', 'plan.approved').first()
    ).id;
    await knex.destroy();
    await expect(
      runVerifyCli(['--sqlite', file], l => lines.push(l)),
    ).resolves.toBe(1);
    expect(JSON.parse(lines[1])).toMatchObject({
      ok: false,
      firstBrokenId: Number(broken),
    });
  });

  it('prints usage on bad arguments', async () => {
    const lines: string[] = [];
    await expect(runVerifyCli([], l => lines.push(l))).resolves.toBe(2);
    expect(lines[0]).toMatch(/^Usage/);
  });
});
