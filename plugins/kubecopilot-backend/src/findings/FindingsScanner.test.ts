/**
 * The scan records a diagnosis (and its audit entry) only when what it found
 * changed, or when the last one it recorded is older than `recordEvery`;
 * people's own diagnoses are recorded as ever. Real diagnosis service,
 * stores and audit chain on SQLite, over the checkout scenario.
 */
import { CacheManager } from '@backstage/backend-defaults/cache';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DatabaseAuditStore } from '../audit';
import { DatabaseDiagnosisStore } from '../diagnosis/DatabaseDiagnosisStore';
import { DefaultDiagnosisService } from '../diagnosis/DiagnosisService';
import { KubernetesContextGatherer } from '../diagnosis/gather';
import {
  CHECKOUT_POD,
  checkoutCluster,
  checkoutEntity,
} from '../diagnosis/__testUtils__/checkoutFixture';
import { CapturingLogger } from '../diagnosis/__testUtils__/CapturingLogger';
import { FakeKubernetesClient } from '../diagnosis/__testUtils__/FakeKubernetesClient';
import { readFindingsConfig } from './config';
import { DatabaseFindingStore } from './DatabaseFindingStore';
import { FindingNotifier } from './FindingNotifier';
import { FindingsScanner } from './FindingsScanner';

jest.setTimeout(60_000);

const ENTITY = 'component:default/checkout';
const HOUR = 60 * 60 * 1000;
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function setup(scan: Record<string, unknown> = {}) {
  const knex = await databases.init('SQLITE_3');
  const database = mockServices.database({ knex });
  const diagnosisStore = await DatabaseDiagnosisStore.create({ database });
  const audit = await DatabaseAuditStore.create({ database });
  const findings = await DatabaseFindingStore.create({ database });
  const cluster = checkoutCluster();
  const kubernetes = new FakeKubernetesClient([cluster]);
  let now = Date.parse('2026-12-07T03:00:00.000Z');
  const logger = new CapturingLogger();
  const catalog = catalogServiceMock({ entities: [checkoutEntity] });
  const diagnoses = new DefaultDiagnosisService({
    gatherer: new KubernetesContextGatherer({ kubernetes, callTimeoutMs: 500 }),
    catalog,
    store: diagnosisStore,
    audit,
    cache: CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
      'kubecopilot',
    ),
    logger,
    now: () => new Date(now),
  });
  const scanner = new FindingsScanner({
    catalog,
    auth: mockServices.auth(),
    diagnoses,
    store: findings,
    notifier: new FindingNotifier({ logger }),
    logger,
    config: readFindingsConfig(
      mockServices.rootConfig({
        data: {
          kubecopilot: { findings: { scan: { enabled: true, ...scan } } },
        },
      }),
    ),
  });
  const stored = async () =>
    (await diagnosisStore.list(ENTITY, 100)).map(d => d.id);
  const audited = async () =>
    (await audit.list({ entityRef: ENTITY }))
      .filter(e => e.action === 'diagnosis.created')
      .map(e => e.payload.diagnosisId);
  return {
    scanner,
    diagnoses,
    findings,
    audit,
    cluster,
    stored,
    audited,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('FindingsScanner recording', () => {
  it('records the same findings once: one diagnosis, one audit entry, findings still seen', async () => {
    const { scanner, findings, audit, stored, audited, advance } =
      await setup();

    const first = await scanner.scan();
    expect(first).toMatchObject({ entities: 1, recorded: 1, failed: [] });
    const [recorded] = await stored();
    const before = await findings.list({ entityRef: ENTITY, status: 'open' });
    expect(before.length).toBeGreaterThan(0);

    advance(10 * 60 * 1000);
    const second = await scanner.scan();
    expect(second).toMatchObject({ entities: 1, recorded: 0, opened: 0 });
    expect(second.updated).toBe(before.length);

    await expect(stored()).resolves.toEqual([recorded]);
    await expect(audited()).resolves.toEqual([recorded]);
    await expect(audit.verify()).resolves.toMatchObject({ ok: true });
    // Reconciled against the diagnosis recorded before, seen just now.
    const after = await findings.list({ entityRef: ENTITY, status: 'open' });
    expect(after).toHaveLength(before.length);
    for (const record of after) {
      expect(record.diagnosisId).toBe(recorded);
      expect(record.lastSeen).toBe('2026-12-07T03:10:00.000Z');
      expect(record.firstSeen).toBe('2026-12-07T03:00:00.000Z');
    }
  });

  it('records again when a finding is new', async () => {
    const { scanner, cluster, findings, stored, audited, advance } =
      await setup();
    await scanner.scan();
    // A second replica of checkout crash-loops too: a new fingerprint.
    const pod = cluster.objects.find(
      o => o.kind === 'Pod' && o.metadata.name === CHECKOUT_POD,
    )!;
    cluster.objects.push({
      ...structuredClone(pod),
      metadata: {
        ...structuredClone(pod.metadata),
        name: 'checkout-zfglkrn22-7xk2p',
        uid: 'c0ffee00-0000-4000-8000-000000000002',
      },
    });
    advance(10 * 60 * 1000);

    const summary = await scanner.scan();
    expect(summary).toMatchObject({ recorded: 1, opened: 1 });
    const ids = await stored();
    expect(ids).toHaveLength(2);
    await expect(audited()).resolves.toEqual([...ids].reverse());
    const open = await findings.list({ entityRef: ENTITY, status: 'open' });
    expect(new Set(open.map(f => f.diagnosisId))).toEqual(new Set([ids[0]]));
    expect(open.map(f => f.title)).toContain(
      'CrashLoopBackOff: Pod shop/checkout-zfglkrn22-7xk2p (container checkout)',
    );
  });

  it('records the unchanged findings again once the heartbeat is due', async () => {
    const { scanner, stored, audited, advance } = await setup({
      recordEvery: { hours: 6 },
    });
    await scanner.scan();
    advance(6 * HOUR - 1);
    await expect(scanner.scan()).resolves.toMatchObject({ recorded: 0 });
    await expect(stored()).resolves.toHaveLength(1);
    advance(1);
    await expect(scanner.scan()).resolves.toMatchObject({ recorded: 1 });
    await expect(stored()).resolves.toHaveLength(2);
    await expect(audited()).resolves.toHaveLength(2);
    // The heartbeat counts from the newest recording, not the first.
    advance(HOUR);
    await expect(scanner.scan()).resolves.toMatchObject({ recorded: 0 });
  });

  it('leaves people’s own diagnoses recorded and audited every time', async () => {
    const { scanner, diagnoses, stored, audited } = await setup();
    await scanner.scan();
    const alice = mockCredentials.user('user:default/alice');
    const mine = await diagnoses.diagnose(ENTITY, { credentials: alice });
    const again = await diagnoses.diagnose(ENTITY, { credentials: alice });
    const ids = await stored();
    expect(ids).toHaveLength(3);
    expect(ids).toEqual(expect.arrayContaining([mine.id, again.id]));
    await expect(audited()).resolves.toHaveLength(3);
    // …and do not count as the scan's: it still has nothing new to record.
    await expect(scanner.scan()).resolves.toMatchObject({ recorded: 0 });
  });
});
