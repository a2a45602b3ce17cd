import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { makePlan } from '../__testUtils__/plans';
import { DatabasePlanStore } from './DatabasePlanStore';
import { PlanFilter, PlanStore } from './types';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function createStore(knex: Knex): Promise<PlanStore> {
  return DatabasePlanStore.create({
    database: mockServices.database({ knex }),
  });
}

async function listAll(
  store: PlanStore,
  options: Omit<Parameters<PlanStore['listPlans']>[0], 'cursor'>,
): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listPlans({ ...options, cursor });
    pages.push(page.items.map(i => i.plan.id));
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

describe.each(databases.eachSupportedId())('DatabasePlanStore on %p', id => {
  it('stores a plan whole and reads it back with its owner', async () => {
    const store = await createStore(await databases.init(id));
    const plan = makePlan({
      id: 'p1',
      entityRef: 'component:default/Checkout',
    });
    await store.createPlan(plan, { ownerRef: 'group:default/Team-Shop' });

    await expect(store.getPlan('p1')).resolves.toEqual({
      plan,
      ownerRef: 'group:default/team-shop',
    });
    await expect(store.getPlan('nope')).resolves.toBeUndefined();
    await expect(store.getPlans(['nope', 'p1'])).resolves.toEqual([
      undefined,
      { plan, ownerRef: 'group:default/team-shop' },
    ]);
  });

  it('refuses a plan that does not match the contract', async () => {
    const store = await createStore(await databases.init(id));
    const plan = { ...makePlan({ id: 'p1' }), status: 'approved' as any };
    await expect(store.createPlan(plan)).rejects.toThrow(/status/);
    await expect(store.getPlan('p1')).resolves.toBeUndefined();
  });

  it('pages newest first without gaps or repeats, ties broken by id', async () => {
    const store = await createStore(await databases.init(id));
    // p1..p7; p3/p4/p5 share a timestamp so only the id orders them.
    const times = [
      '2026-11-26T01:00:00.000Z',
      '2026-11-26T01:00:00.001Z',
      '2026-11-26T01:00:05.000Z',
      '2026-11-26T01:00:05.000Z',
      '2026-11-26T01:00:05.000Z',
      '2026-11-26T02:00:00.000Z',
      '2026-11-26T03:00:00.000Z',
    ];
    for (const [i, createdAt] of times.entries()) {
      await store.createPlan(makePlan({ id: `p${i + 1}`, createdAt }));
    }

    await expect(listAll(store, { limit: 3 })).resolves.toEqual([
      ['p7', 'p6', 'p5'],
      ['p4', 'p3', 'p2'],
      ['p1'],
    ]);
    await expect(listAll(store, { limit: 7 })).resolves.toEqual([
      ['p7', 'p6', 'p5', 'p4', 'p3', 'p2', 'p1'],
    ]);
  });

  it('filters by status and entity (case-insensitively)', async () => {
    const store = await createStore(await databases.init(id));
    await store.createPlan(
      makePlan({ id: 'a', createdAt: '2026-11-26T01:00:00.000Z' }),
    );
    await store.createPlan(
      makePlan({
        id: 'b',
        createdAt: '2026-11-26T02:00:00.000Z',
        status: 'executed',
      }),
    );
    await store.createPlan(
      makePlan({
        id: 'c',
        createdAt: '2026-11-26T03:00:00.000Z',
        entityRef: 'component:default/cart',
      }),
    );

    await expect(
      listAll(store, { limit: 10, status: 'pending' }),
    ).resolves.toEqual([['c', 'a']]);
    await expect(
      listAll(store, { limit: 10, entityRef: 'Component:default/CHECKOUT' }),
    ).resolves.toEqual([['b', 'a']]);
    await expect(
      listAll(store, {
        limit: 1,
        status: 'pending',
        entityRef: 'component:default/checkout',
      }),
    ).resolves.toEqual([['a']]);
  });

  it('applies permission criteria in the query, NULL columns included', async () => {
    const store = await createStore(await databases.init(id));
    const plans = [
      makePlan({ id: 'low-shop', risk: 'low', namespace: 'shop' }),
      makePlan({ id: 'high-shop', risk: 'high', namespace: 'shop' }),
      makePlan({ id: 'low-prod', risk: 'low', namespace: 'prod' }),
      makePlan({ id: 'medium-cluster', risk: 'medium', namespace: null }),
    ].map((plan, i) => ({
      ...plan,
      audit: {
        ...plan.audit,
        timestamps: {
          ...plan.audit.timestamps,
          createdAt: `2026-11-26T0${i}:00:00.000Z`,
        },
      },
    }));
    for (const plan of plans) {
      await store.createPlan(plan, {
        ownerRef: plan.id === 'high-shop' ? 'group:default/shop' : undefined,
      });
    }
    const ids = async (filter: PermissionCriteria<PlanFilter>) =>
      (await store.listPlans({ limit: 10, filter })).items.map(i => i.plan.id);

    await expect(
      ids({ column: 'risk_level', values: ['low', 'medium'] }),
    ).resolves.toEqual(['medium-cluster', 'low-prod', 'low-shop']);
    await expect(
      ids({ not: { column: 'namespace', values: ['shop'] } }),
    ).resolves.toEqual(['medium-cluster', 'low-prod']);
    await expect(
      ids({
        anyOf: [
          { column: 'owner_ref', values: ['group:default/shop'] },
          {
            allOf: [
              { column: 'risk_level', values: ['low'] },
              { not: { column: 'namespace', values: ['prod'] } },
            ],
          },
        ],
      }),
    ).resolves.toEqual(['high-shop', 'low-shop']);
    await expect(ids({ column: 'cluster', values: [] })).resolves.toEqual([]);
  });

  it('rejects a cursor it did not make', async () => {
    const store = await createStore(await databases.init(id));
    await expect(
      store.listPlans({ limit: 5, cursor: 'not-a-cursor' }),
    ).rejects.toThrow(InputError);
  });

  it('leaves the schema alone when migrations are skipped', async () => {
    const knex = await databases.init(id);
    const store = await DatabasePlanStore.create({
      database: mockServices.database({ knex, migrations: { skip: true } }),
    });
    await expect(knex.schema.hasTable('kubecopilot_plans')).resolves.toBe(
      false,
    );
    // better-sqlite3's errors come from another realm, so match the shape.
    await expect(store.getPlan('p1')).rejects.toMatchObject({
      message: expect.stringMatching(/kubecopilot_plans/),
    });
  });
});
