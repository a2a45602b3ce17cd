import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  createCanaryPlanRequestSchema,
  OperationPlan,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { makePlan } from '../__testUtils__/plans';
import { DatabaseAuditStore } from '../audit/DatabaseAuditStore';
import { generateCanary } from '../canary/canaryPlan';
import {
  KubernetesBackendClient,
  KubernetesWriteRequest,
} from '../kubernetes/types';
import { DatabasePlanStore } from '../plans/DatabasePlanStore';
import { MetricsClient } from '../prometheus/PrometheusClient';
import { canaryQueries } from '../prometheus/queries';
import { StepRunner } from './StepRunner';

jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const stable = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'checkout',
    namespace: 'shop',
    uid: 'stable-uid',
    generation: 2,
    resourceVersion: '10',
  },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'checkout' } },
    template: {
      metadata: { labels: { app: 'checkout' } },
      spec: {
        containers: [{ name: 'app', image: 'ghcr.io/acme/checkout:1.0.0' }],
      },
    },
  },
};
const CANARY_PATH = '/apis/apps/v1/namespaces/shop/deployments/checkout-canary';

/** A cluster of two objects that records every write. */
function fakeCluster(objects: Map<string, any>) {
  const writes: string[] = [];
  const kubernetes = {
    read: async ({ path }: { path: string }) => {
      const object = objects.get(path);
      if (!object) throw new NotFoundError(`${path} not found`);
      return structuredClone(object);
    },
    write: async (request: KubernetesWriteRequest) => {
      if (request.dryRun) return {};
      writes.push(`${request.method} ${request.path}`);
      if (request.method === 'DELETE') objects.delete(request.path);
      if (request.method === 'POST') {
        const body = request.body as any;
        const created = {
          ...body,
          metadata: { ...body.metadata, uid: 'new-uid', generation: 1 },
        };
        objects.set(`${request.path}/${body.metadata.name}`, created);
        return created;
      }
      return {};
    },
  } as unknown as KubernetesBackendClient;
  return { kubernetes, writes };
}

async function setup(options: {
  objects: Map<string, any>;
  metrics?: Partial<MetricsClient>;
  now?: Date;
}) {
  const knex = await databases.init('SQLITE_3');
  const database = mockServices.database({ knex });
  const store = await DatabasePlanStore.create({ database });
  const audit = await DatabaseAuditStore.create({
    database,
    skipMigrations: true,
  });
  const { kubernetes, writes } = fakeCluster(options.objects);
  const runner = new StepRunner({
    store,
    audit,
    kubernetes,
    metrics: {
      isConfigured: () => false,
      query: async () => ({ value: null, series: 0 }),
      ...options.metrics,
    },
    notifier: { planWaiting: async () => {}, planChanged: async () => {} },
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    now: () => options.now ?? new Date('2026-11-26T03:00:00Z'),
    sleep: async () => {},
  });
  return { store, audit, runner, writes };
}

function canaryPlan(
  patch: Partial<OperationPlan> = {},
  request: object = {},
): OperationPlan {
  const generated = generateCanary({
    request: createCanaryPlanRequestSchema.parse({
      entityRef: 'component:default/checkout',
      target: { name: 'checkout' },
      image: '2.0.0',
      steps: [25, 100],
      maxErrorRate: 0.01,
      ...request,
    }),
    stable,
    target: { cluster: 'east', namespace: 'shop', name: 'checkout' },
    planId: 'canary-1',
    queries: canaryQueries,
    now: new Date('2026-11-26T02:00:00Z'),
  });
  return {
    ...makePlan({ id: 'canary-1', cluster: 'east' }),
    action: 'canary',
    params: generated.params,
    diff: { before: stable, after: generated.promoted },
    steps: generated.steps,
    ...patch,
  };
}

describe('StepRunner', () => {
  it('reconciles a canary a stopped backend left mid-step: judges the step from the live object, never writes it again, and rolls back', async () => {
    const objects = new Map<string, any>([
      [
        CANARY_PATH,
        {
          metadata: {
            name: 'checkout-canary',
            uid: 'canary-uid',
            generation: 1,
          },
          spec: { replicas: 1 },
        },
      ],
    ]);
    const { store, audit, runner, writes } = await setup({ objects });
    const plan = canaryPlan({ status: 'executing' });
    plan.steps = plan.steps!.map(s =>
      s.id === 'create-canary'
        ? { ...s, status: 'running', startedAt: '2026-11-26T02:50:00Z' }
        : s,
    );
    await store.createPlan(plan, {});

    expect(await runner.reconcile((await store.getPlan(plan.id))!.plan)).toBe(
      true,
    );

    const done = (await store.getPlan(plan.id))!.plan;
    expect(done).toMatchObject({
      status: 'failed',
      execution: { outcome: 'rolled-back' },
    });
    const status = Object.fromEntries(done.steps!.map(s => [s.id, s.status]));
    expect(status).toMatchObject({
      'create-canary': 'succeeded',
      'gate-25-error-rate': 'pending',
      'rollback-restore-stable': 'skipped',
      'rollback-remove-canary': 'succeeded',
    });
    // The create is not repeated; the only write removes the canary.
    expect(writes).toEqual([`DELETE ${CANARY_PATH}`]);
    expect(objects.has(CANARY_PATH)).toBe(false);
    const entries = await audit.list({ planId: plan.id, limit: 100 });
    expect(entries.map(e => e.action)).toEqual(
      expect.arrayContaining([
        'plan.step-succeeded',
        'plan.rollback-started',
        'plan.failed',
      ]),
    );
    const verified = await audit.verify();
    expect(verified.ok).toBe(true);
  });

  it('leaves a step alone while it is younger than its own deadline (another replica may be running it)', async () => {
    const { store, runner, writes } = await setup({ objects: new Map() });
    const plan = canaryPlan({ status: 'executing' });
    plan.steps = plan.steps!.map(s =>
      s.id === 'create-canary'
        ? { ...s, status: 'running', startedAt: '2026-11-26T02:59:30Z' }
        : s,
    );
    await store.createPlan(plan, {});
    expect(await runner.reconcile(plan)).toBe(false);
    expect((await store.getPlan(plan.id))!.plan.status).toBe('executing');
    expect(writes).toEqual([]);
  });

  it('a gate without Prometheus fails and rolls back what was created', async () => {
    const objects = new Map<string, any>([
      ['/apis/apps/v1/namespaces/shop/deployments/checkout', stable],
    ]);
    const { store, runner, writes } = await setup({ objects });
    const plan = canaryPlan({ status: 'executing' });
    await store.createPlan(plan, {});
    await runner.run(plan.id);

    const done = (await store.getPlan(plan.id))!.plan;
    expect(done).toMatchObject({
      status: 'failed',
      execution: { outcome: 'rolled-back' },
    });
    const gate = done.steps!.find(s => s.id === 'gate-25-error-rate')!;
    expect(gate.status).toBe('failed');
    expect(gate.result).toMatch(/no Prometheus is configured for cluster east/);
    expect(done.steps!.find(s => s.id === 'create-canary')).toMatchObject({
      status: 'succeeded',
      uid: 'new-uid',
      generation: 1,
    });
    expect(writes).toEqual([
      'POST /apis/apps/v1/namespaces/shop/deployments',
      `DELETE ${CANARY_PATH}`,
    ]);
    // The canary copies the live stable pod template with the new image.
    expect(objects.has(CANARY_PATH)).toBe(false);
  });

  it('a rollback that finds the canary already gone counts it as removed, without a write', async () => {
    const { store, runner, writes } = await setup({ objects: new Map() });
    const plan = canaryPlan({ status: 'executing' });
    plan.steps = plan.steps!.map(s =>
      s.id === 'create-canary'
        ? { ...s, status: 'succeeded', uid: 'c1', generation: 1 }
        : s,
    );
    await store.createPlan(plan, {});
    await runner.run(plan.id);
    const done = (await store.getPlan(plan.id))!.plan;
    expect(done.execution?.outcome).toBe('rolled-back');
    expect(
      done.steps!.find(s => s.id === 'rollback-remove-canary')?.result,
    ).toMatch(/already as wanted/);
    expect(writes).toEqual([]);
  });

  it('pauses at a confirmation; the requester of a second-approver plan may not confirm it, and a decline rolls back', async () => {
    const objects = new Map<string, any>([
      [CANARY_PATH, { metadata: { uid: 'c1', generation: 1 } }],
    ]);
    const { store, runner, writes } = await setup({ objects });
    const plan = canaryPlan(
      { status: 'paused', requiresSecondApprover: true },
      { maxErrorRate: undefined, confirmPromotion: true },
    );
    plan.steps = plan.steps!.map(s => {
      if (s.id === 'create-canary')
        return { ...s, status: 'succeeded', uid: 'c1', generation: 1 };
      if (s.id === 'confirm-promotion') return { ...s, status: 'waiting' };
      return s;
    });
    await store.createPlan(plan, {});

    await expect(
      runner.confirm(plan, 'confirm-promotion', 'user:default/alice'),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      runner.confirm(plan, 'promote', 'user:default/bob'),
    ).rejects.toThrow(ConflictError);

    const declined = await runner.decline(
      plan,
      'confirm-promotion',
      'user:default/bob',
      'p99 looks odd',
    );
    expect(declined).toMatchObject({
      status: 'failed',
      execution: { outcome: 'rolled-back' },
    });
    expect(declined.error).toMatch(
      /user:default\/bob declined .*p99 looks odd; rolled back/,
    );
    expect(
      declined.steps!.find(s => s.id === 'confirm-promotion'),
    ).toMatchObject({
      status: 'failed',
      by: 'user:default/bob',
    });
    expect(writes).toEqual([`DELETE ${CANARY_PATH}`]);
  });
});
