/**
 * Crash recovery, with a real crash: the backend executing the plan runs in
 * a child process and is SIGKILLed from the demo cluster's request hook at
 * the exact point under test — when the server-side dry run has been
 * answered (before the write), or when the write has been answered (before
 * the outcome is recorded). A second backend is then started on the same
 * SQLite file with the real scheduler; its plan maintenance task must settle
 * the plan from the live object, never by writing again, and the audit chain
 * must still verify.
 *
 * Two details make the kill points deterministic rather than racy:
 * - before the write: the real (non-dry-run) write hangs in the demo cluster,
 *   so even if the child sent it before dying it is never applied;
 * - after the write: the test holds an exclusive lock on the SQLite file from
 *   the dry run on, so the child cannot record the outcome before it dies.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { DemoCluster, startDemoCluster } from '@kubecopilot/demo-cluster';
import Database from 'better-sqlite3';
import knexFactory, { Knex } from 'knex';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHECKOUT,
  shopScenarios,
  startResilienceBackend,
} from './__testUtils__/backend';
import { alice, bob, call, eventually } from './__testUtils__/http';
import { ChildBackend, spawnBackend } from './__testUtils__/spawnBackend';

jest.setTimeout(60_000);

type Entry = { method: string; path: string; status: number };

describe('crash recovery: the backend is killed while a plan executes', () => {
  let cluster: DemoCluster;
  let dir: string;
  const requests: Entry[] = [];
  let hook: (entry: Entry) => void = () => {};
  const realWrites = () =>
    requests.filter(
      r =>
        r.method === 'PATCH' &&
        !r.path.includes('dryRun=All') &&
        r.status === 200,
    );

  beforeAll(async () => {
    await import('@kubernetes/client-node');
    cluster = await startDemoCluster({
      port: 0,
      podStartupMs: 50,
      scenarios: shopScenarios(),
      onRequest: entry => {
        requests.push(entry);
        hook(entry);
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'kubecopilot-crash-'));
  });

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const deployment = () =>
    cluster.getObject('apps/v1', 'Deployment', 'shop', 'checkout') as any;

  /** Creates and approves a plan through `base`. */
  async function approvedPlan(base: string, intent: string) {
    const created = await call(base, 'POST', '/plans', alice, {
      entityRef: CHECKOUT,
      intent,
    });
    expect(created.status).toBe(201);
    const approved = await call(
      base,
      'POST',
      `/plans/${created.body.id}/approve`,
      bob,
      {},
    );
    expect(approved.body.status).toBe('confirmed');
    return created.body;
  }

  /** Executes through the child, which dies during the call. */
  async function executeUntilKilled(child: ChildBackend, id: string) {
    const outcome = await call(child.url, 'POST', `/plans/${id}/execute`, bob)
      .then(r => `answered ${r.status}`)
      .catch(() => 'connection lost');
    await child.exited;
    expect(outcome).toBe('connection lost');
  }

  async function storedStatus(knex: Knex, id: string) {
    const [row] = await knex('kubecopilot_plans')
      .where({ id })
      .select('status');
    return row?.status;
  }

  /**
   * The successor, after checking what the crash left behind (claimed, not
   * settled): the real scheduler, maintenance without initial delay, and no
   * grace for executions in flight elsewhere: this is the only replica, so
   * nobody else can still be executing the plan.
   */
  async function restart(sqliteFile: string, planId: string) {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: sqliteFile },
      useNullAsDefault: true,
    });
    expect(await storedStatus(knex, planId)).toBe('executing');
    const backend = await startResilienceBackend({
      cluster,
      knex,
      config: {
        kubecopilot: {
          maintenance: { initialDelaySeconds: 0, executingGraceSeconds: 0 },
        },
      },
      extra: [schedulerServiceFactory],
    });
    return { ...backend, knex };
  }

  async function expectSettled(
    base: string,
    id: string,
    expected: { status: string; outcome: string; message: RegExp },
  ) {
    const plan = await eventually(
      async () => (await call(base, 'GET', `/plans/${id}`)).body,
      p => p.status !== 'executing',
    );
    expect(plan).toMatchObject({
      status: expected.status,
      execution: { outcome: expected.outcome },
    });
    expect(plan.execution.message).toMatch(expected.message);
    const trail = await call(base, 'GET', `/audit?planId=${id}`);
    // GET /audit lists newest first.
    expect(
      trail.body.items.map((e: any) => `${e.action} by ${e.actor}`).reverse(),
    ).toEqual([
      'plan.created by user:default/alice',
      'plan.approved by user:default/bob',
      'plan.execution-started by user:default/bob',
      `plan.${expected.status} by plugin:kubecopilot`,
    ]);
    const verify = await call(base, 'GET', '/audit/verify');
    expect(verify.body).toMatchObject({ ok: true });
    // Settled for good: a new execute is refused, never re-applied.
    const again = await call(base, 'POST', `/plans/${id}/execute`, bob);
    expect(again.status).toBe(409);
  }

  it('killed between the dry run and the write: the plan fails, nothing was written', async () => {
    const sqliteFile = join(dir, 'before-write.sqlite');
    const child = await spawnBackend({ cluster, sqliteFile });
    const plan = await approvedPlan(child.url, 'restart checkout');
    const annotation = () =>
      deployment().spec.template.metadata?.annotations?.[
        'kubectl.kubernetes.io/restartedAt'
      ];
    const annotationBefore = annotation();

    const removeHang = cluster.injectFault({
      method: 'PATCH',
      path: /\/deployments\/checkout\?(?!.*dryRun)/,
      hang: true,
    });
    requests.length = 0;
    hook = entry => {
      if (entry.method === 'PATCH' && entry.path.includes('dryRun=All')) {
        child.kill();
      }
    };
    try {
      await executeUntilKilled(child, plan.id);
    } finally {
      hook = () => {};
      removeHang();
    }
    expect(
      requests.filter(r => r.method === 'PATCH').map(r => r.status),
    ).toEqual([200]); // the dry run only
    expect(annotation()).toBe(annotationBefore);

    const successor = await restart(sqliteFile, plan.id);
    await expectSettled(successor.url, plan.id, {
      status: 'failed',
      outcome: 'failed',
      message: /before the write; nothing was changed/,
    });
    expect(realWrites()).toEqual([]);
    expect(annotation()).toBe(annotationBefore);
    await successor.stop();
    await successor.knex.destroy();
  });

  it('killed after the write, before recording it: the plan is marked executed, never written twice', async () => {
    const sqliteFile = join(dir, 'after-write.sqlite');
    const child = await spawnBackend({ cluster, sqliteFile });
    const plan = await approvedPlan(child.url, 'scale checkout to 4');
    expect(plan.params).toMatchObject({ replicas: 4 });

    // From the dry run on, the child cannot commit anything.
    let lock: Database.Database | undefined;
    requests.length = 0;
    hook = entry => {
      if (entry.method !== 'PATCH') return;
      if (entry.path.includes('dryRun=All')) {
        lock = new Database(sqliteFile);
        lock.exec('BEGIN EXCLUSIVE');
      } else if (entry.status === 200) {
        child.kill();
      }
    };
    try {
      await executeUntilKilled(child, plan.id);
    } finally {
      hook = () => {};
      lock?.exec('ROLLBACK');
      lock?.close();
    }
    expect(realWrites()).toHaveLength(1);
    expect(deployment().spec.replicas).toBe(4);

    const successor = await restart(sqliteFile, plan.id);
    await expectSettled(successor.url, plan.id, {
      status: 'executed',
      outcome: 'applied',
      message: /the change is in place/,
    });
    expect(realWrites()).toHaveLength(1);
    expect(deployment().spec.replicas).toBe(4);
    await successor.stop();
    await successor.knex.destroy();
  });
});
