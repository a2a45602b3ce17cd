import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseLlmUsageStore, utcDay } from './DatabaseLlmUsageStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe('utcDay', () => {
  it('is the UTC calendar day', () => {
    expect(utcDay(new Date('2026-11-26T23:59:59.999Z'))).toBe('2026-11-26');
    expect(utcDay(new Date('2026-11-27T00:30:00+02:00'))).toBe('2026-11-26');
  });
});

describe.each(databases.eachSupportedId())('DatabaseLlmUsageStore on %p', id => {
  async function setup() {
    const knex = await databases.init(id);
    const store = await DatabaseLlmUsageStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  it('adds up a caller’s tokens per day, case-insensitively', async () => {
    const { store, knex } = await setup();
    await expect(store.spent('user:default/alice', '2026-11-26')).resolves.toBe(0);
    await expect(store.add('user:default/alice', '2026-11-26', 1200)).resolves.toBe(1200);
    await expect(store.add('user:default/Alice', '2026-11-26', 300)).resolves.toBe(1500);
    await store.add('user:default/alice', '2026-11-27', 7);
    await store.add('user:default/bob', '2026-11-26', 5);

    await expect(store.spent('user:default/ALICE', '2026-11-26')).resolves.toBe(1500);
    await expect(store.spent('user:default/alice', '2026-11-27')).resolves.toBe(7);
    await expect(store.spent('user:default/bob', '2026-11-26')).resolves.toBe(5);
    const rows = await knex('kubecopilot_llm_usage').orderBy(['day', 'user_ref']);
    expect(rows.map(r => [r.user_ref, r.day, Number(r.tokens)])).toEqual([
      ['user:default/alice', '2026-11-26', 1500],
      ['user:default/bob', '2026-11-26', 5],
      ['user:default/alice', '2026-11-27', 7],
    ]);
  });

  it('loses no charge under concurrent increments', async () => {
    const { store } = await setup();
    await Promise.all(
      Array.from({ length: 40 }, () => store.add('user:default/alice', '2026-11-26', 25)),
    );
    await expect(store.spent('user:default/alice', '2026-11-26')).resolves.toBe(1000);
  });

  it('counts beyond 32 bits', async () => {
    const { store } = await setup();
    await store.add('service:ci', '2026-11-26', 2 ** 31);
    await expect(store.add('service:ci', '2026-11-26', 2 ** 31)).resolves.toBe(2 ** 32);
  });

  it('refuses a negative or fractional charge', async () => {
    const { store } = await setup();
    await expect(store.add('user:default/alice', '2026-11-26', -1)).rejects.toThrow(
      'LLM token usage must be a non-negative integer, got -1',
    );
    await expect(store.add('user:default/alice', '2026-11-26', 0.5)).rejects.toThrow(
      /got 0.5/,
    );
  });

  it('deletes the days before a day', async () => {
    const { store } = await setup();
    await store.add('user:default/alice', '2026-11-24', 1);
    await store.add('user:default/alice', '2026-11-25', 1);
    await store.add('user:default/alice', '2026-11-26', 1);
    await expect(store.deleteBefore('2026-11-26')).resolves.toBe(2);
    await expect(store.spent('user:default/alice', '2026-11-25')).resolves.toBe(0);
    await expect(store.spent('user:default/alice', '2026-11-26')).resolves.toBe(1);
  });
});
