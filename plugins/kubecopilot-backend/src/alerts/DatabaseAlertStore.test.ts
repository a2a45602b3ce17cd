import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AlertmanagerAlert } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { DatabaseAlertStore } from './DatabaseAlertStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const GROUP = '{}:{alertname="KubePodCrashLooping"}';

const alert = (
  overrides: Partial<AlertmanagerAlert> = {},
): AlertmanagerAlert => ({
  status: 'firing',
  labels: {
    alertname: 'KubePodCrashLooping',
    namespace: 'shop',
    pod: 'checkout-7d9f8b6c5d-x2k4q',
  },
  annotations: { summary: 'Pod is crash looping.' },
  startsAt: '2026-12-07T00:10:00.000Z',
  endsAt: '0001-01-01T00:00:00Z',
  fingerprint: 'f1e2d3c4b5a69788',
  ...overrides,
});
const now = new Date('2026-12-07T00:11:00.000Z');
const checkout = async () => ({
  entityRef: 'component:default/checkout',
  ownerRef: 'group:default/team-shop',
  mapping: 'test',
});

describe.each(databases.eachSupportedId())('DatabaseAlertStore on %p', id => {
  async function createStore() {
    return DatabaseAlertStore.create({
      database: mockServices.database({ knex: await databases.init(id) }),
    });
  }

  it('keeps one row per episode and changes it only on resolution', async () => {
    const store = await createStore();
    const mapping = jest.fn(checkout);
    const first = await store.receive(GROUP, alert(), mapping, now);
    expect(first.change).toBe('fired');
    expect(first.record).toMatchObject({
      status: 'firing',
      alertname: 'KubePodCrashLooping',
      entityRef: 'component:default/checkout',
      startsAt: '2026-12-07T00:10:00.000Z',
      receivedAt: now.toISOString(),
    });
    expect(first.record.endsAt).toBeUndefined();

    // Retries, and a concurrent pair of them: no new row, no new mapping.
    const again = await Promise.all([
      store.receive(GROUP, alert(), mapping, now),
      store.receive(GROUP, alert(), mapping, now),
    ]);
    expect(again.map(a => a.change)).toEqual(['unchanged', 'unchanged']);
    expect(again.map(a => a.record.id)).toEqual([
      first.record.id,
      first.record.id,
    ]);
    expect(mapping).toHaveBeenCalledTimes(1);

    await store.attachDiagnosis(first.record.id, 'd-1', 'checkout is down');
    await store.markNotified(first.record.id, now);

    const resolved = await store.receive(
      GROUP,
      alert({ status: 'resolved', endsAt: '2026-12-07T00:20:00.000Z' }),
      mapping,
      now,
    );
    expect(resolved.change).toBe('resolved');
    expect(resolved.record).toMatchObject({
      status: 'resolved',
      endsAt: '2026-12-07T00:20:00.000Z',
      diagnosisId: 'd-1',
      diagnosisSummary: 'checkout is down',
      notifiedAt: now.toISOString(),
    });
    expect((await store.receive(GROUP, alert(), mapping, now)).change).toBe(
      'unchanged',
    );

    // The same alert firing again later is a new episode.
    const next = await store.receive(
      GROUP,
      alert({ startsAt: '2026-12-07T01:00:00.000Z' }),
      mapping,
      now,
    );
    expect(next.change).toBe('fired');
    expect(next.record.id).not.toBe(first.record.id);

    expect((await store.list({ status: 'firing' })).map(a => a.id)).toEqual([
      next.record.id,
    ]);
    expect(await store.list({ status: 'resolved' })).toHaveLength(1);
    expect(
      await store.list({ filter: { column: 'entity_ref', values: [] } }),
    ).toEqual([]);
  });

  it('keeps an alert that maps to no entity, and a resolution never seen firing', async () => {
    const store = await createStore();
    const unknown = await store.receive(
      GROUP,
      alert({ status: 'resolved', endsAt: '2026-12-07T00:12:00.000Z' }),
      async () => ({ mapping: 'no catalog entity' }),
      now,
    );
    expect(unknown.change).toBe('resolved-unseen');
    expect(unknown.record.entityRef).toBeUndefined();
    expect(unknown.record.mapping).toBe('no catalog entity');
    // A conditional decision's filter never shows it.
    expect(
      await store.list({
        filter: {
          column: 'entity_ref',
          values: ['component:default/checkout'],
        },
      }),
    ).toEqual([]);
    expect(await store.list({})).toHaveLength(1);
  });
});
