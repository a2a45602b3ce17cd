import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { DatabaseAuditStore } from './DatabaseAuditStore';
import { AuditEntry } from './types';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const CHECKOUT = 'component:default/checkout';
const STOREFRONT = 'component:default/storefront';

/** Nine entries: two plans, a diagnosis, and one about no entity. */
async function setup(id: Parameters<typeof databases.init>[0]) {
  const store = await DatabaseAuditStore.create({
    database: mockServices.database({ knex: await databases.init(id) }),
  });
  const append = (entityRef: string, action: string, planId?: string) =>
    store.append({ entityRef, actor: 'user:default/alice', action, planId });
  await append(CHECKOUT, 'plan.created', 'p1');
  await append(STOREFRONT, 'plan.created', 'p2');
  await append('Component:default/Checkout', 'plan.approved', 'p1');
  await append(CHECKOUT, 'diagnosis.created');
  await append(STOREFRONT, 'plan.approved', 'p2');
  await append('', 'chain.checkpoint');
  await append(CHECKOUT, 'plan.executed', 'p1');
  await append(STOREFRONT, 'diagnosis.created');
  await append(CHECKOUT, 'plan.reverted', 'p1');
  return store;
}

const describeEntry = (e: AuditEntry) => `${e.entityRef || '-'} ${e.action}`;

async function allPages(
  store: DatabaseAuditStore,
  options: Omit<Parameters<DatabaseAuditStore['listPage']>[0], 'cursor'>,
) {
  const pages: AuditEntry[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listPage({ ...options, cursor });
    pages.push(page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

describe.each(databases.eachSupportedId())(
  'DatabaseAuditStore.listPage on %p',
  id => {
    it('pages through everything, newest first, each entry once', async () => {
      const store = await setup(id);
      const pages = await allPages(store, { limit: 4 });
      expect(pages.map(p => p.length)).toEqual([4, 4, 1]);
      const ids = pages.flat().map(e => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(new Set(ids).size).toBe(9);
      expect(pages[0].map(describeEntry)).toEqual([
        `${CHECKOUT} plan.reverted`,
        `${STOREFRONT} diagnosis.created`,
        `${CHECKOUT} plan.executed`,
        '- chain.checkpoint',
      ]);
      // A page that ends exactly at the last entry has no cursor.
      const exact = await store.listPage({ limit: 9 });
      expect(exact.items).toHaveLength(9);
      expect(exact.nextCursor).toBeUndefined();
    });

    it('pages through one plan, or one entity (any case)', async () => {
      const store = await setup(id);
      const plan = await allPages(store, { planId: 'p1', limit: 3 });
      expect(plan.flat().map(e => e.action)).toEqual([
        'plan.reverted',
        'plan.executed',
        'plan.approved',
        'plan.created',
      ]);
      expect(plan).toHaveLength(2);
      const entity = await store.listPage({
        entityRef: 'Component:default/STOREFRONT',
        limit: 10,
      });
      expect(entity.items.map(e => e.action)).toEqual([
        'diagnosis.created',
        'plan.approved',
        'plan.created',
      ]);
    });

    it('applies permission filters as SQL, and never lets one match an entry about no entity', async () => {
      const store = await setup(id);
      const only = (values: string[]) => ({
        column: 'entity_ref' as const,
        values,
      });
      const checkout = await allPages(store, {
        limit: 2,
        filter: only([CHECKOUT]),
      });
      // Pages stay full however selective the filter.
      expect(checkout.map(p => p.length)).toEqual([2, 2, 1]);
      expect(new Set(checkout.flat().map(e => e.entityRef))).toEqual(
        new Set([CHECKOUT]),
      );
      const notCheckout = await store.listPage({
        limit: 10,
        filter: { not: only([CHECKOUT]) },
      });
      expect(notCheckout.items.map(describeEntry)).toEqual([
        `${STOREFRONT} diagnosis.created`,
        `${STOREFRONT} plan.approved`,
        `${STOREFRONT} plan.created`,
      ]);
      await expect(
        store.listPage({ limit: 10, filter: only([]) }),
      ).resolves.toEqual({ items: [] });
      await expect(
        store.listPage({
          limit: 10,
          filter: { anyOf: [only([STOREFRONT]), { not: only([STOREFRONT]) }] },
        }),
      ).resolves.toMatchObject({ items: { length: 8 } });
    });

    it('refuses a cursor it did not make', async () => {
      const store = await setup(id);
      await expect(
        store.listPage({ limit: 2, cursor: 'bm9wZQ' }),
      ).rejects.toThrow(InputError);
    });

    it('list() keeps the newest entries, oldest first', async () => {
      const store = await setup(id);
      const entries = await store.list({ planId: 'p1', limit: 2 });
      expect(entries.map(e => e.action)).toEqual([
        'plan.executed',
        'plan.reverted',
      ]);
    });
  },
);
