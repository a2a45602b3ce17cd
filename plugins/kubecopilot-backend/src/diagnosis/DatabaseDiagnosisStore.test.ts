import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Diagnosis } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { DatabaseDiagnosisStore } from './DatabaseDiagnosisStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function makeDiagnosis(overrides: Partial<Diagnosis> = {}): Diagnosis {
  return {
    id: 'd-1',
    entityRef: 'component:default/checkout',
    createdAt: '2026-11-26T10:00:00.000Z',
    source: 'rules',
    summary: 'Found 1 problem across 1 resource (1 error).',
    findings: [
      {
        analyzer: 'pod',
        code: 'CrashLoopBackOff',
        severity: 'error',
        cluster: 'demo',
        resource: { kind: 'Pod', namespace: 'shop', name: 'checkout-5d9-abc' },
        container: 'app',
        message: 'Container "app" is crash-looping.',
        evidence: [
          {
            type: 'log',
            path: 'pods/checkout-5d9-abc/log?container=app&previous=true',
            lines: ['panic: boom'],
          },
        ],
        proposedFix: {
          description: 'Fix it, then restart Deployment/checkout.',
          action: 'restart',
          target: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
        },
      },
    ],
    recommendations: [
      {
        title: 'Restart Deployment shop/checkout',
        action: 'restart',
        target: {
          kind: 'Deployment',
          namespace: 'shop',
          name: 'checkout',
          cluster: 'demo',
        },
      },
    ],
    errors: [],
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseDiagnosisStore on %p',
  id => {
    async function createStore() {
      const knex = await databases.init(id);
      const store = await DatabaseDiagnosisStore.create({
        database: mockServices.database({ knex }),
      });
      return { store, knex };
    }

    it('stores a diagnosis whole and lists the newest first, per entity', async () => {
      const { store, knex } = await createStore();
      const first = makeDiagnosis();
      const llm = makeDiagnosis({
        id: 'd-2',
        createdAt: '2026-11-26T10:05:00.000Z',
        source: 'llm',
        model: 'gpt-4o-mini',
        promptVersion: 'diagnose/v1',
        rootCause: 'PAYMENT_GATEWAY_URL is missing',
        usage: {
          promptTokens: 2100,
          completionTokens: 180,
          rawContextChars: 9000,
          sentContextChars: 2500,
        },
      });
      const other = makeDiagnosis({
        id: 'd-3',
        entityRef: 'component:default/payments',
      });
      await store.save(first, { createdBy: 'user:default/Alice' });
      await store.save(llm, { createdBy: 'user:default/alice' });
      await store.save(other, { createdBy: 'user:default/alice' });

      await expect(
        store.list('Component:default/Checkout', 10),
      ).resolves.toEqual([llm, first]);
      await expect(
        store.list('component:default/checkout', 1),
      ).resolves.toEqual([llm]);
      await expect(store.list('component:default/nope', 10)).resolves.toEqual(
        [],
      );

      const row = await knex('kubecopilot_diagnoses')
        .where({ id: 'd-2' })
        .first();
      expect(row).toMatchObject({
        entity_ref: 'component:default/checkout',
        created_by: 'user:default/alice',
        source: 'llm',
        model: 'gpt-4o-mini',
        prompt_version: 'diagnose/v1',
      });
    });

    it('breaks ties of the same instant by id, newest id first', async () => {
      const { store } = await createStore();
      for (const diagnosisId of ['a', 'c', 'b']) {
        await store.save(makeDiagnosis({ id: diagnosisId }), {
          createdBy: 'user:default/alice',
        });
      }
      const items = await store.list('component:default/checkout', 10);
      expect(items.map(d => d.id)).toEqual(['c', 'b', 'a']);
    });

    it('refuses a diagnosis that does not match the contract, and rolls back with its transaction', async () => {
      const { store } = await createStore();
      await expect(
        store.save(
          { ...makeDiagnosis(), source: 'magic' as any },
          { createdBy: 'user:default/alice' },
        ),
      ).rejects.toThrow(/source/);
      await expect(
        store.transaction(async tx => {
          await store.save(makeDiagnosis({ id: 'tx' }), {
            createdBy: 'user:default/alice',
            tx,
          });
          throw new Error('audit failed');
        }),
      ).rejects.toThrow('audit failed');
      await expect(
        store.list('component:default/checkout', 10),
      ).resolves.toEqual([]);
    });

    describe('prune', () => {
      const NOW = Date.parse('2026-12-07T12:00:00.000Z');
      const DAY = 24 * 60 * 60 * 1000;
      const daysAgo = (days: number) =>
        new Date(NOW - days * DAY).toISOString();
      const ids = async (store: DatabaseDiagnosisStore, entityRef: string) =>
        (await store.list(entityRef, 1000)).map(d => d.id);

      it('deletes what is older than the cut-off, but never an entity’s newest few', async () => {
        const { store } = await createStore();
        const save = (diagnosisId: string, entityRef: string, days: number) =>
          store.save(
            makeDiagnosis({
              id: diagnosisId,
              entityRef,
              createdAt: daysAgo(days),
            }),
            {
              createdBy: 'user:default/alice',
            },
          );
        const checkout = 'component:default/checkout';
        const payments = 'component:default/payments';
        const storefront = 'component:default/storefront';
        // checkout: two recent, two old ones beyond the newest two.
        await save('c-60', checkout, 60);
        await save('c-50', checkout, 50);
        await save('c-40', checkout, 40);
        await save('c-1', checkout, 1);
        // payments: quiet for months — its newest two stay however old.
        await save('p-90', payments, 90);
        await save('p-80', payments, 80);
        await save('p-70', payments, 70);
        // storefront: more than two, all young enough.
        await save('s-3', storefront, 3);
        await save('s-2', storefront, 2);
        await save('s-1', storefront, 1);

        await expect(
          store.prune({
            olderThan: new Date(NOW - 30 * DAY),
            keepPerEntity: 2,
          }),
        ).resolves.toBe(3);

        await expect(ids(store, checkout)).resolves.toEqual(['c-1', 'c-40']);
        await expect(ids(store, payments)).resolves.toEqual(['p-70', 'p-80']);
        await expect(ids(store, storefront)).resolves.toEqual([
          's-1',
          's-2',
          's-3',
        ]);
        // Nothing left to prune: a second run deletes nothing.
        await expect(
          store.prune({
            olderThan: new Date(NOW - 30 * DAY),
            keepPerEntity: 2,
          }),
        ).resolves.toBe(0);
      });

      it('prunes a backlog larger than one batch', async () => {
        const { store, knex } = await createStore();
        const diagnosis = JSON.stringify(makeDiagnosis());
        const rows = Array.from({ length: 1203 }, (_, i) => ({
          id: `old-${String(i).padStart(5, '0')}`,
          entity_ref: 'component:default/checkout',
          created_by: 'user:default/alice',
          created_at: new Date(NOW - (40 * DAY + i * 60_000)),
          source: 'rules',
          diagnosis,
        }));
        for (let i = 0; i < rows.length; i += 200) {
          await knex('kubecopilot_diagnoses').insert(rows.slice(i, i + 200));
        }

        await expect(
          store.prune({
            olderThan: new Date(NOW - 30 * DAY),
            keepPerEntity: 3,
          }),
        ).resolves.toBe(1200);
        const left = await knex('kubecopilot_diagnoses')
          .orderBy('id')
          .pluck('id');
        expect(left).toEqual(['old-00000', 'old-00001', 'old-00002']);
      });
    });
  },
);
