import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { makePlan } from '../__testUtils__/plans';
import { DatabaseAuditStore } from '../audit/DatabaseAuditStore';
import { ActionWhitelist } from '../changes/whitelist';
import { KubernetesBackendClient } from '../kubernetes/types';
import { DatabasePlanStore } from '../plans/DatabasePlanStore';
import { PlanAccess } from '../plans/PlanAccess';
import { PlanDecisions } from '../plans/PlanDecisions';
import { PlanDrafter } from '../plans/PlanDrafter';
import { RuleBasedRiskEngine } from '../risk';
import { PlanChanges } from './PlanChanges';
import { PlanReconciler } from './PlanReconciler';

jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function setup(
  id: Parameters<typeof databases.init>[0],
  live: Record<string, unknown> | null,
) {
  const knex = await databases.init(id);
  const database = mockServices.database({ knex });
  const store = await DatabasePlanStore.create({ database });
  const audit = await DatabaseAuditStore.create({
    database,
    skipMigrations: true,
  });
  const notified: string[] = [];
  const notifier = {
    planWaiting: async () => {},
    planChanged: async (plan: { id: string; status: string }) => {
      notified.push(`${plan.id}:${plan.status}`);
    },
  };
  const writes: unknown[] = [];
  const kubernetes = {
    read: async () => {
      if (!live) throw new NotFoundError('gone');
      return live;
    },
    write: async (request: unknown) => {
      writes.push(request);
      return {};
    },
  } as unknown as KubernetesBackendClient;
  const now = () => new Date('2026-11-26T12:00:00.000Z');
  const logger = mockServices.logger.mock();
  const access = new PlanAccess({
    store,
    permissions: mockServices.permissions(),
    rules: { getRuleByName: () => undefined } as any,
    logger,
  });
  const drafter = new PlanDrafter({
    store,
    audit,
    kubernetes,
    catalog: {} as any,
    access,
    whitelist: ActionWhitelist.fromConfig(undefined),
    risk: new RuleBasedRiskEngine(),
    notifier,
    productionNamespaces: [],
    secondApproverFor: ['high'],
    now,
  });
  const plans = new PlanDecisions({ store, audit, access, notifier, now });
  const executor = new PlanReconciler(
    new PlanChanges({
      store,
      audit,
      kubernetes,
      access,
      drafter,
      notifier,
      logger,
      now,
    }),
  );
  return { store, audit, plans, executor, notified, writes };
}

describe.each(databases.eachSupportedId())('plan maintenance on %p', id => {
  it('expires plans that waited too long, and only those', async () => {
    const { store, audit, plans, notified } = await setup(id, null);
    await store.createPlan(
      makePlan({ id: 'old', createdAt: '2026-11-22T12:00:00.000Z' }),
    );
    await store.createPlan(
      makePlan({ id: 'fresh', createdAt: '2026-11-26T11:00:00.000Z' }),
    );
    await store.createPlan(
      makePlan({
        id: 'approved',
        status: 'confirmed',
        createdAt: '2026-11-20T12:00:00.000Z',
      }),
    );

    await expect(plans.expireStalePlans(72 * 3_600_000)).resolves.toBe(1);
    expect((await store.getPlan('old'))?.plan).toMatchObject({
      status: 'expired',
      audit: { timestamps: { expiredAt: '2026-11-26T12:00:00.000Z' } },
    });
    expect((await store.getPlan('fresh'))?.plan.status).toBe('pending');
    expect((await store.getPlan('approved'))?.plan.status).toBe('confirmed');
    expect(notified).toEqual(['old:expired']);
    expect((await audit.list({ planId: 'old' })).map(e => e.action)).toEqual([
      'plan.expired',
    ]);
    await expect(plans.expireStalePlans(72 * 3_600_000)).resolves.toBe(0);
  });

  it.each([
    [
      'the change is in place',
      { spec: { replicas: 5 } },
      'executed',
      'applied',
    ],
    ['nothing was written', { spec: { replicas: 2 } }, 'failed', 'failed'],
    [
      'the object changed otherwise',
      { spec: { replicas: 7 } },
      'failed',
      'unknown',
    ],
    ['the object is gone', null, 'failed', 'unknown'],
  ])(
    'settles a plan left executing when %s, without writing',
    async (_name, live, status, outcome) => {
      const { store, executor, writes, audit } = await setup(id, live);
      await store.createPlan(makePlan({ id: 'p', status: 'executing' }));
      await expect(executor.reconcile(mockCredentials.service())).resolves.toBe(
        1,
      );
      expect((await store.getPlan('p'))?.plan).toMatchObject({
        status,
        execution: { outcome },
      });
      expect(writes).toEqual([]);
      expect((await audit.list({ planId: 'p' }))[0]).toMatchObject({
        action: status === 'executed' ? 'plan.executed' : 'plan.failed',
        actor: 'plugin:kubecopilot',
        payload: { reconciled: true },
      });
      await expect(audit.verify()).resolves.toMatchObject({ ok: true });
    },
  );

  it.each([
    ['the old values are back', { spec: { replicas: 2 } }, 'reverted', 'applied'],
    ['nothing was written', { spec: { replicas: 5 } }, 'executed', 'failed'],
    ['the object changed otherwise', { spec: { replicas: 7 } }, 'executed', 'failed'],
  ])(
    'settles a revert a stopped backend left claimed when %s, without writing',
    async (_name, live, status, outcome) => {
      const { store, executor, writes, audit } = await setup(id, live);
      const plan = makePlan({ id: 'r', status: 'executed' });
      await store.createPlan(plan);
      // The claim a crashed revert leaves: started, never finished.
      await store.updatePlan(
        {
          ...plan,
          revert: { by: 'user:default/bob', startedAt: '2026-11-26T11:50:00.000Z' },
        },
        { expectedRevision: 0 },
      );
      expect((await store.listRevertsInFlight()).map(p => p.plan.id)).toEqual([
        'r',
      ]);
      await expect(executor.reconcile(mockCredentials.service())).resolves.toBe(
        1,
      );
      const settled = (await store.getPlan('r'))!.plan;
      expect(settled).toMatchObject({ status, revert: { outcome } });
      expect(settled.revert?.finishedAt).toBe('2026-11-26T12:00:00.000Z');
      expect(writes).toEqual([]);
      expect(await store.listRevertsInFlight()).toEqual([]);
      expect((await audit.list({ planId: 'r' }))[0]).toMatchObject({
        action: status === 'reverted' ? 'plan.reverted' : 'plan.revert-failed',
        actor: 'plugin:kubecopilot',
        payload: { reconciled: true },
      });
    },
  );

  it('leaves a revert younger than the grace period to the replica running it', async () => {
    const { store, executor } = await setup(id, { spec: { replicas: 5 } });
    const plan = makePlan({ id: 'young', status: 'executed' });
    await store.createPlan(plan);
    await store.updatePlan(
      {
        ...plan,
        revert: { by: 'user:default/bob', startedAt: '2026-11-26T11:59:50.000Z' },
      },
      { expectedRevision: 0 },
    );
    await expect(executor.reconcile(mockCredentials.service())).resolves.toBe(0);
    expect((await store.getPlan('young'))!.plan.revert?.finishedAt).toBeUndefined();
  });
});
