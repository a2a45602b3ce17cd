import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { migrationsDirectory } from '../database/migrations';
import { DatabaseFindingStore } from './DatabaseFindingStore';
import { fingerprintOf, scanSignatureOf } from './fingerprint';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const CHECKOUT = 'component:default/checkout';

const crash = (overrides: Partial<Finding> = {}): Finding => ({
  analyzer: 'pod',
  code: 'CrashLoopBackOff',
  severity: 'error',
  cluster: 'demo',
  resource: { kind: 'Pod', namespace: 'shop', name: 'checkout-5d9-abc' },
  container: 'app',
  message: 'Container "app" is crash-looping (3 restarts).',
  evidence: [{ type: 'field', path: 'status.containerStatuses[0]' }],
  ...overrides,
});
const unavailable: Finding = {
  analyzer: 'deployment',
  code: 'DeploymentUnavailable',
  severity: 'warning',
  cluster: 'demo',
  resource: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
  message: 'Deployment checkout has 0 of 1 replicas available.',
  evidence: [],
};

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 0, minute, 0));

describe('fingerprintOf', () => {
  it('ignores the message and evidence, and tells resources and containers apart', () => {
    const base = fingerprintOf(crash());
    expect(base).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprintOf(crash({ message: 'x', evidence: [] }))).toBe(base);
    expect(fingerprintOf(crash({ container: 'sidecar' }))).not.toBe(base);
    expect(
      fingerprintOf(
        crash({ resource: { kind: 'Pod', namespace: 'shop', name: 'other' } }),
      ),
    ).not.toBe(base);
    expect(fingerprintOf(crash({ cluster: 'prod' }))).not.toBe(base);
    expect(fingerprintOf(crash({ code: 'OOMKilled' }))).not.toBe(base);
  });
});

describe('scanSignatureOf', () => {
  it('changes with the fingerprints, their severities and completeness only', () => {
    const base = scanSignatureOf([crash(), unavailable], true);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    // Order, messages, evidence and duplicates of a fingerprint do not count.
    expect(
      scanSignatureOf(
        [unavailable, crash({ message: '9 restarts', evidence: [] }), crash()],
        true,
      ),
    ).toBe(base);
    expect(scanSignatureOf([crash(), unavailable], false)).not.toBe(base);
    expect(
      scanSignatureOf([crash({ severity: 'critical' }), unavailable], true),
    ).not.toBe(base);
    expect(scanSignatureOf([crash()], true)).not.toBe(base);
    expect(
      scanSignatureOf(
        [
          crash(),
          unavailable,
          crash({
            resource: {
              kind: 'Pod',
              namespace: 'shop',
              name: 'checkout-5d9-x',
            },
          }),
        ],
        true,
      ),
    ).not.toBe(base);
    expect(scanSignatureOf([], true)).not.toBe(scanSignatureOf([], false));
  });
});

describe.each(databases.eachSupportedId())('DatabaseFindingStore on %p', id => {
  async function createStore() {
    const knex = await databases.init(id);
    const store = await DatabaseFindingStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  it('opens, updates, resolves and reopens a finding by fingerprint', async () => {
    const { store } = await createStore();
    const first = await store.reconcile({
      entityRef: 'Component:default/Checkout',
      ownerRef: 'group:default/team-shop',
      findings: [crash(), unavailable, crash({ severity: 'critical' })],
      diagnosisId: 'd-1',
      seenAt: at(0),
      complete: true,
    });
    expect(first.opened.map(f => f.code).sort()).toEqual([
      'CrashLoopBackOff',
      'DeploymentUnavailable',
    ]);
    const opened = first.opened.find(f => f.code === 'CrashLoopBackOff')!;
    expect(opened).toMatchObject({
      fingerprint: fingerprintOf(crash()),
      entityRef: CHECKOUT,
      ownerRef: 'group:default/team-shop',
      status: 'open',
      // the most severe of the findings sharing the fingerprint
      severity: 'critical',
      title: 'CrashLoopBackOff: Pod shop/checkout-5d9-abc (container app)',
      cluster: 'demo',
      resource: { kind: 'Pod', namespace: 'shop', name: 'checkout-5d9-abc' },
      container: 'app',
      diagnosisId: 'd-1',
      firstSeen: at(0).toISOString(),
      lastSeen: at(0).toISOString(),
    });
    expect(opened.resolvedAt).toBeUndefined();

    // Still there: updated, not opened again.
    const second = await store.reconcile({
      entityRef: CHECKOUT,
      ownerRef: 'group:default/team-shop',
      findings: [
        crash({ message: 'Container "app" is crash-looping (9 restarts).' }),
        unavailable,
      ],
      diagnosisId: 'd-2',
      seenAt: at(5),
      complete: true,
    });
    expect(second).toEqual({ opened: [], updated: 2, resolved: [] });

    // A partial diagnosis resolves nothing.
    const partial = await store.reconcile({
      entityRef: CHECKOUT,
      findings: [],
      seenAt: at(10),
      complete: false,
    });
    expect(partial).toEqual({ opened: [], updated: 0, resolved: [] });

    // The crash is gone: resolved, the Deployment still open.
    await store.markNotified(CHECKOUT, [opened.fingerprint], at(1));
    const third = await store.reconcile({
      entityRef: CHECKOUT,
      ownerRef: 'group:default/team-shop',
      findings: [unavailable],
      seenAt: at(15),
      complete: true,
    });
    expect(third.opened).toEqual([]);
    expect(third.resolved).toEqual([
      expect.objectContaining({
        fingerprint: opened.fingerprint,
        status: 'resolved',
        firstSeen: at(0).toISOString(),
        lastSeen: at(5).toISOString(),
        resolvedAt: at(15).toISOString(),
        notifiedAt: at(1).toISOString(),
      }),
    ]);

    // Back again: reopened (first seen kept), to be told again.
    const fourth = await store.reconcile({
      entityRef: CHECKOUT,
      findings: [crash(), unavailable],
      seenAt: at(20),
      complete: true,
    });
    expect(fourth.opened).toEqual([
      expect.objectContaining({
        fingerprint: opened.fingerprint,
        status: 'open',
        firstSeen: at(0).toISOString(),
        lastSeen: at(20).toISOString(),
      }),
    ]);
    expect(fourth.opened[0].resolvedAt).toBeUndefined();
    expect(fourth.opened[0].notifiedAt).toBeUndefined();
  });

  it('lists by status, entity, owner, severity, cluster and permission filter', async () => {
    const { store } = await createStore();
    await store.reconcile({
      entityRef: CHECKOUT,
      ownerRef: 'group:default/team-shop',
      findings: [crash(), unavailable],
      seenAt: at(0),
      complete: true,
    });
    await store.reconcile({
      entityRef: 'component:default/payments',
      ownerRef: 'group:default/team-pay',
      findings: [
        crash({
          resource: { kind: 'Pod', namespace: 'pay', name: 'payments-1' },
        }),
      ],
      seenAt: at(1),
      complete: true,
    });
    await store.reconcile({
      entityRef: CHECKOUT,
      ownerRef: 'group:default/team-shop',
      findings: [crash()],
      seenAt: at(2),
      complete: true,
    });

    const codes = (items: Array<{ entityRef: string; code: string }>) =>
      items.map(i => `${i.entityRef} ${i.code}`);
    expect(codes(await store.list({ status: 'open' }))).toEqual([
      `${CHECKOUT} CrashLoopBackOff`,
      'component:default/payments CrashLoopBackOff',
    ]);
    expect(codes(await store.list({ status: 'resolved' }))).toEqual([
      `${CHECKOUT} DeploymentUnavailable`,
    ]);
    expect(
      codes(await store.list({ ownerRef: 'Group:default/team-pay' })),
    ).toEqual(['component:default/payments CrashLoopBackOff']);
    expect(codes(await store.list({ severity: 'warning' }))).toEqual([
      `${CHECKOUT} DeploymentUnavailable`,
    ]);
    expect(await store.list({ cluster: 'prod' })).toEqual([]);
    expect(
      codes(
        await store.list({
          status: 'open',
          filter: { column: 'entity_ref', values: [CHECKOUT] },
        }),
      ),
    ).toEqual([`${CHECKOUT} CrashLoopBackOff`]);
    expect(
      await store.list({ filter: { column: 'entity_ref', values: [] } }),
    ).toEqual([]);
    expect(await store.list({ limit: 1 })).toHaveLength(1);
  });

  it('keeps what the scan last recorded per entity, with the reconcile that recorded it', async () => {
    const { store } = await createStore();
    await expect(store.lastRecorded(CHECKOUT)).resolves.toBeUndefined();
    const observe = (diagnosisId: string, minute: number, recorded: boolean) =>
      store.reconcile({
        entityRef: 'Component:default/Checkout',
        findings: [crash()],
        diagnosisId,
        seenAt: at(minute),
        complete: true,
        ...(recorded && {
          recorded: {
            diagnosisId,
            signature: `s-${minute}`,
            recordedAt: at(minute),
          },
        }),
      });
    await observe('d-1', 0, true);
    await expect(store.lastRecorded(CHECKOUT)).resolves.toEqual({
      diagnosisId: 'd-1',
      signature: 's-0',
      recordedAt: at(0),
    });
    // Unchanged: reconciled against d-1, nothing recorded.
    await observe('d-1', 10, false);
    await expect(store.lastRecorded(CHECKOUT)).resolves.toMatchObject({
      diagnosisId: 'd-1',
      recordedAt: at(0),
    });
    const [record] = await store.list({ entityRef: CHECKOUT });
    expect(record).toMatchObject({
      diagnosisId: 'd-1',
      lastSeen: at(10).toISOString(),
    });
    await observe('d-2', 20, true);
    await expect(
      store.lastRecorded('component:default/checkout'),
    ).resolves.toEqual({
      diagnosisId: 'd-2',
      signature: 's-20',
      recordedAt: at(20),
    });
  });

  it('migrates the findings, alerts and postmortems tables up and down', async () => {
    const { knex } = await createStore();
    const migrations: Array<[string, string]> = [
      ['20261207030000_findings_scans.js', 'kubecopilot_findings_scans'],
      ['20261207002000_postmortems.js', 'kubecopilot_postmortems'],
      ['20261207001000_alerts.js', 'kubecopilot_alerts'],
      ['20261207000000_findings.js', 'kubecopilot_findings'],
    ];
    // Each down drops exactly its own table.
    for (const [i, [name, table]] of migrations.entries()) {
      await expect(knex.schema.hasTable(table)).resolves.toBe(true);
      await knex.migrate.down({ directory: migrationsDirectory, name });
      await expect(knex.schema.hasTable(table)).resolves.toBe(false);
      for (const [, other] of migrations.slice(i + 1)) {
        await expect(knex.schema.hasTable(other)).resolves.toBe(true);
      }
    }
    await knex.migrate.latest({ directory: migrationsDirectory });
    for (const [, table] of migrations) {
      await expect(knex.schema.hasTable(table)).resolves.toBe(true);
    }
  });
});
