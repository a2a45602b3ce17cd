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
  },
);
