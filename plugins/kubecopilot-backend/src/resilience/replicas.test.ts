/**
 * Several backend replicas on one PostgreSQL, as production runs Backstage:
 * two complete backends (this plugin, the real Kubernetes backend, the real
 * scheduler) share one database and one demo cluster. Whatever must happen
 * once happens once, whichever replica a request lands on.
 *
 * Needs PostgreSQL (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING);
 * skipped without it.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { TestDatabases } from '@backstage/backend-test-utils';
import { DemoCluster, startDemoCluster } from '@kubecopilot/demo-cluster';
import { Knex } from 'knex';
import {
  CHECKOUT,
  shopScenarios,
  startResilienceBackend,
} from './__testUtils__/backend';
import { alice, bob, call, eventually } from './__testUtils__/http';
import { mockCredentials } from '@backstage/backend-test-utils';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const carol = mockCredentials.user.header('user:default/carol');
const TASK = 'kubecopilot-plan-maintenance';

type Entry = { method: string; path: string; status: number };

/**
 * A task row's last end in milliseconds. PostgreSQL returns it as a Date,
 * whose String() has whole seconds only: two runs ending within one second
 * would look the same.
 */
const endedAt = (row: { last_run_ended_at?: Date | string | null }) =>
  row.last_run_ended_at ? new Date(row.last_run_ended_at).getTime() : null;

const supported = databases.eachSupportedId();
// Without PostgreSQL the suite is reported as skipped, not as failed to load.
const describeEach = supported.length
  ? describe.each(supported)
  : describe.skip.each([['POSTGRES_15' as const]]);

describeEach('two replicas on %p', id => {
  let cluster: DemoCluster;
  let knex: Knex;
  let a: string;
  let b: string;
  const requests: Entry[] = [];
  const realWrites = () =>
    requests.filter(
      r => r.method === 'PATCH' && !r.path.includes('dryRun=All'),
    );

  beforeAll(async () => {
    await import('@kubernetes/client-node');
    cluster = await startDemoCluster({
      port: 0,
      podStartupMs: 50,
      scenarios: shopScenarios(),
      onRequest: entry => requests.push(entry),
    });
    knex = await databases.init(id);
    const replica = () =>
      startResilienceBackend({
        cluster,
        knex,
        config: {
          kubecopilot: {
            // Both replicas want to run plan maintenance right at start-up.
            maintenance: { initialDelaySeconds: 0 },
            // A write the cluster holds while maintenance runs must not time out.
            kubernetes: { timeoutMs: 30_000 },
          },
        },
        extra: [schedulerServiceFactory],
      });
    a = (await replica()).url;
    b = (await replica()).url;
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  beforeEach(() => {
    requests.length = 0;
  });

  async function createPlan(intent: string) {
    const created = await call(a, 'POST', '/plans', alice, {
      entityRef: CHECKOUT,
      intent,
    });
    expect(created.status).toBe(201);
    return created.body;
  }

  it('concurrent executes of one plan split across both replicas: exactly one write', async () => {
    const plan = await createPlan('restart checkout');
    expect(
      (await call(b, 'POST', `/plans/${plan.id}/approve`, bob, {})).status,
    ).toBe(200);
    requests.length = 0;

    const results = await Promise.all(
      [a, b, a, b, a, b].map(base =>
        call(base, 'POST', `/plans/${plan.id}/execute`, bob),
      ),
    );
    expect(results.map(r => r.status).sort()).toEqual([
      200, 409, 409, 409, 409, 409,
    ]);
    expect(realWrites().map(r => r.status)).toEqual([200]);
    for (const base of [a, b]) {
      const { body } = await call(base, 'GET', `/plans/${plan.id}`);
      expect(body.status).toBe('executed');
    }
    const trail = await call(b, 'GET', `/audit?planId=${plan.id}`);
    // GET /audit lists newest first.
    expect(trail.body.items.map((e: any) => e.action).reverse()).toEqual([
      'plan.created',
      'plan.approved',
      'plan.execution-started',
      'plan.executed',
    ]);
  });

  it('approvals racing across replicas: one decision, one audit entry', async () => {
    for (let round = 0; round < 3; round++) {
      const plan = await createPlan('scale checkout up by 1');
      const results = await Promise.all([
        call(a, 'POST', `/plans/${plan.id}/approve`, bob, { comment: 'ok' }),
        call(b, 'POST', `/plans/${plan.id}/reject`, carol, {
          comment: 'not now',
        }),
        call(b, 'POST', `/plans/${plan.id}/approve`, carol, {}),
      ]);
      expect(results.map(r => r.status).sort()).toEqual([200, 409, 409]);
      const winner = results.find(r => r.status === 200)!.body;
      const { body: stored } = await call(a, 'GET', `/plans/${plan.id}`);
      expect(stored.approvals).toHaveLength(1);
      expect(stored.status).toBe(winner.status);
      const trail = await call(a, 'GET', `/audit?planId=${plan.id}`);
      expect(
        trail.body.items.filter((e: any) =>
          ['plan.approved', 'plan.rejected'].includes(e.action),
        ),
      ).toHaveLength(1);
    }
    expect(realWrites()).toEqual([]);
    const verify = await call(b, 'GET', '/audit/verify');
    expect(verify.body).toMatchObject({ ok: true });
  });

  it('plan maintenance goes through the shared scheduler: both replicas register one task, a trigger runs it once', async () => {
    for (const base of [a, b]) {
      const res = await fetch(
        `${base}/api/kubecopilot/.backstage/scheduler/v1/tasks`,
        { headers: { authorization: alice } },
      );
      expect(res.status).toBe(200);
      const { tasks } = await res.json();
      expect(tasks.map((t: any) => t.taskId)).toContain(TASK);
    }
    const rows = await knex('backstage_backend_tasks__tasks').where(
      'id',
      'like',
      `%${TASK}%`,
    );
    expect(rows).toHaveLength(1);
    const taskRow = async () =>
      (await knex('backstage_backend_tasks__tasks').where('id', rows[0].id))[0];
    // The start-up run (one of the two replicas) has finished.
    const { last_run_ended_at: lastEndedBefore } = await eventually(
      taskRow,
      r => !r.current_run_ticket && !!r.last_run_ended_at,
    );

    // A plan a crashed replica left executing: each maintenance run reads
    // its object once to settle it.
    const plan = await createPlan('scale checkout to 6');
    await knex('kubecopilot_plans')
      .where({ id: plan.id })
      .update({ status: 'executing' });
    requests.length = 0;
    const trigger = await fetch(
      `${b}/api/kubecopilot/.backstage/scheduler/v1/tasks/${TASK}/trigger`,
      { method: 'POST', headers: { authorization: alice } },
    );
    expect(trigger.status).toBeLessThan(300);

    // Wait until a run has finished and released the task: from then on its
    // next run is 5 minutes away, for both replicas.
    const row = await eventually(
      taskRow,
      r =>
        !r.current_run_ticket &&
        r.last_run_ended_at &&
        endedAt(r) !== endedAt({ last_run_ended_at: lastEndedBefore }),
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(new Date(row.next_run_start_at).getTime()).toBeGreaterThan(
      Date.now() + 4 * 60_000,
    );
    const reconcileReads = requests.filter(
      r =>
        r.method === 'GET' &&
        r.path.startsWith('/apis/apps/v1/namespaces/shop/deployments/checkout'),
    );
    expect(reconcileReads).toHaveLength(1);
    const { body: settled } = await call(a, 'GET', `/plans/${plan.id}`);
    expect(settled.status).not.toBe('executing');
  });

  /**
   * Maintenance settles plans left `executing`, but not one another replica
   * is executing right now: here replica B's maintenance run falls between
   * replica A's dry run and its write, which the cluster holds until that run
   * has finished. Reconcile leaves executions younger than
   * `kubecopilot.maintenance.executingGraceSeconds` alone.
   */
  it('maintenance on one replica leaves alone a plan another replica is executing', async () => {
    const plan = await createPlan('scale checkout to 2');
    await call(b, 'POST', `/plans/${plan.id}/approve`, bob, {});
    let releaseWrite!: () => void;
    const removeHeldWrite = cluster.injectFault({
      method: 'PATCH',
      path: /\/deployments\/checkout\/scale\?(?!.*dryRun)/,
      holdUntil: new Promise<void>(r => (releaseWrite = r)),
      times: 1,
    });
    const taskRow = async () =>
      (
        await knex('backstage_backend_tasks__tasks').where(
          'id',
          'like',
          `%${TASK}%`,
        )
      )[0];
    const { last_run_ended_at: endedBefore } = await taskRow();
    try {
      requests.length = 0;
      const executing = call(a, 'POST', `/plans/${plan.id}/execute`, bob);
      await eventually(
        async () => requests.some(r => r.path.includes('dryRun=All')),
        seen => seen,
      );
      const trigger = await fetch(
        `${b}/api/kubecopilot/.backstage/scheduler/v1/tasks/${TASK}/trigger`,
        { method: 'POST', headers: { authorization: alice } },
      );
      expect(trigger.status).toBeLessThan(300);
      // The scheduler polls for due tasks every 5 s; the run then finishes
      // while A's write is still held by the cluster.
      await eventually(
        taskRow,
        r =>
          !r.current_run_ticket &&
          endedAt(r) !== endedAt({ last_run_ended_at: endedBefore }),
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      const { body: during } = await call(b, 'GET', `/plans/${plan.id}`);
      expect(during.status).toBe('executing');
      releaseWrite();
      const executed = await executing;
      expect(executed.status).toBe(200);
      expect(executed.body.status).toBe('executed');
      const { body: stored } = await call(a, 'GET', `/plans/${plan.id}`);
      expect(stored.status).toBe('executed');
    } finally {
      releaseWrite();
      removeHeldWrite();
    }
  });
});
