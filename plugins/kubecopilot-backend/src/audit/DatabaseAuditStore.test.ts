import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseAuditStore } from './DatabaseAuditStore';
import { verifyChain } from './chain';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function setup(id: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(id);
  const store = await DatabaseAuditStore.create({
    database: mockServices.database({ knex }),
  });
  for (const action of [
    'plan.created',
    'plan.approved',
    'plan.executed',
    'plan.reverted',
  ]) {
    await store.append({
      planId: 'p1',
      entityRef: 'component:default/Checkout',
      actor: 'user:default/guest',
      action,
      before: { spec: { replicas: 2 } },
      after: { spec: { replicas: 5 } },
      payload: { comment: `${action} ok` },
    });
  }
  const ids = (await knex('kubecopilot_audit').orderBy('id').select('id')).map(
    r => Number(r.id),
  );
  return { knex, store, ids };
}

describe.each(databases.eachSupportedId())('DatabaseAuditStore on %p', id => {
  it('chains entries, hashes objects instead of storing them, and verifies', async () => {
    const { store } = await setup(id);
    const entries = await store.list({ planId: 'p1' });
    expect(entries.map(e => e.action)).toEqual([
      'plan.created',
      'plan.approved',
      'plan.executed',
      'plan.reverted',
    ]);
    expect(entries[0]).toMatchObject({
      entityRef: 'component:default/checkout',
      prevHash: '0'.repeat(64),
      beforeHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      payload: { comment: 'plan.created ok' },
    });
    expect(entries[1].prevHash).toBe(entries[0].hash);
    expect(JSON.stringify(entries)).not.toContain('replicas');
    await expect(store.verify()).resolves.toEqual({
      ok: true,
      checked: 4,
      signed: false,
      checkpoints: { configured: false, checked: 0 },
    });
    // The offline verifier agrees with the database one.
    expect(verifyChain(entries)).toEqual({ ok: true, checked: 4 });
  });

  it('names an edited entry', async () => {
    const { knex, store, ids } = await setup(id);
    await knex('kubecopilot_audit')
      .where('id', ids[1])
      .update({ payload: JSON.stringify({ comment: 'nothing to see' }) });
    await expect(store.verify()).resolves.toMatchObject({
      ok: false,
      checked: 1,
      firstBrokenId: ids[1],
      reason: expect.stringContaining('does not match its hash'),
    });
  });

  it('names the entry after a deleted one', async () => {
    const { knex, store, ids } = await setup(id);
    await knex('kubecopilot_audit').where('id', ids[1]).delete();
    await expect(store.verify()).resolves.toMatchObject({
      ok: false,
      firstBrokenId: ids[2],
      reason: expect.stringContaining('does not link'),
    });
  });

  it('detects reordered entries', async () => {
    const { knex, store, ids } = await setup(id);
    const [a, b] = await Promise.all(
      [ids[1], ids[2]].map(i =>
        knex('kubecopilot_audit').where('id', i).first(),
      ),
    );
    const columns = (row: any) => {
      const { id: _id, ...rest } = row;
      return rest;
    };
    // Swap the contents of two rows; prev_hash is unique, so park one first.
    await knex('kubecopilot_audit')
      .where('id', ids[1])
      .update({ prev_hash: 'x' });
    await knex('kubecopilot_audit').where('id', ids[2]).update(columns(a));
    await knex('kubecopilot_audit').where('id', ids[1]).update(columns(b));
    await expect(store.verify()).resolves.toMatchObject({
      ok: false,
      firstBrokenId: ids[1],
    });
  });

  it('keeps one chain under concurrent appends', async () => {
    const { store } = await setup(id);
    await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        store.append({
          entityRef: 'component:default/checkout',
          actor: 'user:default/guest',
          action: 'diagnosis.created',
          payload: { n: i },
        }),
      ),
    );
    await expect(store.verify()).resolves.toEqual({
      ok: true,
      checked: 19,
      signed: false,
      checkpoints: { configured: false, checked: 0 },
    });
  });

  it('keeps every append under load, when each holds its transaction a while', async () => {
    const { store, knex } = await setup(id);
    // Like a diagnosis or a plan change: the entry is written inside a
    // transaction that does more work before it commits.
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        knex.transaction(async tx => {
          await store.append(
            {
              entityRef: 'component:default/checkout',
              actor: 'user:default/guest',
              action: 'diagnosis.created',
              payload: { n: i },
            },
            tx,
          );
          await new Promise(r => setTimeout(r, 5));
        }),
      ),
    );
    const verified = await store.verify();
    expect(verified).toMatchObject({ ok: true });
    expect(verified.checked).toBeGreaterThanOrEqual(60);
  });

  it('rolls the entry back with the transaction it belongs to', async () => {
    const { knex, store } = await setup(id);
    await expect(
      knex.transaction(async tx => {
        await store.append(
          {
            entityRef: 'component:default/checkout',
            actor: 'a',
            action: 'plan.executed',
          },
          tx,
        );
        throw new Error('the plan update failed');
      }),
    ).rejects.toThrow('the plan update failed');
    await expect(store.verify()).resolves.toEqual({
      ok: true,
      checked: 4,
      signed: false,
      checkpoints: { configured: false, checked: 0 },
    });
  });
});
