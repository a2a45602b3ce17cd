/**
 * The scheduled prune of stored diagnoses: by age, keeping each entity's
 * newest few, never touching the audit chain; what still names a pruned
 * diagnosis (its audit entry, a finding) keeps working.
 */
import { CacheManager } from '@backstage/backend-defaults/cache';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DatabaseAuditStore } from '../audit';
import { DatabaseFindingStore } from '../findings/DatabaseFindingStore';
import { DatabaseDiagnosisStore } from './DatabaseDiagnosisStore';
import { DefaultDiagnosisService } from './DiagnosisService';
import { KubernetesContextGatherer } from './gather';
import {
  DIAGNOSIS_RETENTION_TASK_ID,
  readDiagnosisRetentionConfig,
  scheduleDiagnosisRetention,
} from './retention';
import {
  checkoutCluster,
  checkoutEntity,
} from './__testUtils__/checkoutFixture';
import { CapturingLogger } from './__testUtils__/CapturingLogger';
import { FakeKubernetesClient } from './__testUtils__/FakeKubernetesClient';

jest.setTimeout(60_000);

const ENTITY = 'component:default/checkout';
const DAY = 24 * 60 * 60 * 1000;
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const config = (retention?: JsonObject) =>
  mockServices.rootConfig({
    data: retention ? { kubecopilot: { diagnoses: { retention } } } : {},
  });

describe('readDiagnosisRetentionConfig', () => {
  it('keeps 30 days and each entity’s newest 20 by default, pruning every 6 hours', () => {
    expect(readDiagnosisRetentionConfig(config())).toEqual({
      enabled: true,
      maxAgeDays: 30,
      keepPerEntity: 20,
      schedule: {
        frequency: { hours: 6 },
        timeout: { minutes: 15 },
        initialDelay: { minutes: 5 },
      },
    });
  });

  it('reads the configured values and refuses nonsense', () => {
    expect(
      readDiagnosisRetentionConfig(
        config({
          maxAgeDays: 7,
          keepPerEntity: 0,
          schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
        }),
      ),
    ).toMatchObject({
      maxAgeDays: 7,
      keepPerEntity: 0,
      schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
    });
    expect(() =>
      readDiagnosisRetentionConfig(config({ maxAgeDays: 0 })),
    ).toThrow(/maxAgeDays must be a whole number of at least 1, got 0/);
    expect(() =>
      readDiagnosisRetentionConfig(config({ keepPerEntity: 1.5 })),
    ).toThrow(/keepPerEntity/);
  });
});

describe('the scheduled diagnosis retention', () => {
  it('prunes old diagnoses beyond the newest few; the audit chain and findings naming them stay', async () => {
    const knex = await databases.init('SQLITE_3');
    const database = mockServices.database({ knex });
    const store = await DatabaseDiagnosisStore.create({ database });
    const audit = await DatabaseAuditStore.create({ database });
    const findings = await DatabaseFindingStore.create({ database });
    let now = Date.now() - 45 * DAY;
    const catalog = catalogServiceMock({ entities: [checkoutEntity] });
    const service = new DefaultDiagnosisService({
      gatherer: new KubernetesContextGatherer({
        kubernetes: new FakeKubernetesClient([checkoutCluster()]),
        callTimeoutMs: 500,
      }),
      catalog,
      store,
      audit,
      cache: CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
        'kubecopilot',
      ),
      logger: new CapturingLogger(),
      now: () => new Date(now),
    });
    const credentials = mockCredentials.user('user:default/alice');
    // Three diagnoses 45, 44 and 43 days ago, then one today.
    const old = [];
    for (let i = 0; i < 3; i++) {
      old.push(await service.diagnose(ENTITY, { credentials }));
      now += DAY;
    }
    now = Date.now();
    const recent = await service.diagnose(ENTITY, { credentials });
    // A finding last seen by the oldest diagnosis.
    await findings.reconcile({
      entityRef: ENTITY,
      findings: old[0].findings,
      diagnosisId: old[0].id,
      seenAt: new Date(old[0].createdAt),
      complete: true,
    });

    const tasks = new Map<string, SchedulerServiceTaskInvocationDefinition>();
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async task => {
        tasks.set(task.id, task);
      },
    });
    const logger = new CapturingLogger();
    await scheduleDiagnosisRetention({
      config: config({
        maxAgeDays: 30,
        keepPerEntity: 2,
        schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
      }),
      database,
      scheduler,
      logger,
    });
    const task = tasks.get(DIAGNOSIS_RETENTION_TASK_ID)!;
    expect(task).toMatchObject({ scope: 'global' });
    await task.fn(new AbortController().signal);

    // The newest two stay: today's and the youngest old one.
    const kept = await service.listDiagnoses(ENTITY, {
      credentials,
      limit: 10,
    });
    expect(kept.map(d => d.id)).toEqual([recent.id, old[2].id]);
    expect(logger.lines).toContainEqual(
      expect.stringContaining('Diagnosis retention: deleted 2 diagnosis(es)'),
    );
    // Every audit entry stays, the chain verifies, and still names the
    // pruned diagnoses.
    const entries = (await audit.list({ entityRef: ENTITY })).filter(
      e => e.action === 'diagnosis.created',
    );
    expect(entries.map(e => e.payload.diagnosisId)).toEqual([
      ...old.map(d => d.id),
      recent.id,
    ]);
    await expect(audit.verify()).resolves.toMatchObject({ ok: true });
    // The finding still lists, naming a diagnosis that is gone.
    const [finding] = await findings.list({ entityRef: ENTITY });
    expect(finding.diagnosisId).toBe(old[0].id);
  });

  it('schedules nothing when disabled', async () => {
    const scheduler = mockServices.scheduler.mock();
    const knex = await databases.init('SQLITE_3');
    await scheduleDiagnosisRetention({
      config: config({ enabled: false }),
      database: mockServices.database({ knex }),
      scheduler,
      logger: new CapturingLogger(),
    });
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
  });
});
