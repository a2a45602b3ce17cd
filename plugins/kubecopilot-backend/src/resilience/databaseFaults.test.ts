/**
 * Database faults, end to end: this plugin and the real Kubernetes backend
 * against the demo cluster, on PostgreSQL reached through a TCP proxy that
 * can take the database away (refused, reset, or silently never answering)
 * and cut the connection carrying a given statement mid-transaction.
 *
 * - While the database is away, requests answer 503 "the database is
 *   unavailable" within the pool's acquire timeout, and leak no connection
 *   details; once it is back the same requests succeed, without a restart.
 * - A plan change and its audit entry are one transaction: a connection lost
 *   between the plan's write and the audit INSERT leaves neither behind.
 *
 * Needs PostgreSQL (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING);
 * skipped without it.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { DemoCluster, startDemoCluster } from '@kubecopilot/demo-cluster';
import knexFactory, { Knex } from 'knex';
import {
  CHECKOUT,
  shopScenarios,
  startResilienceBackend,
} from './__testUtils__/backend';
import { alice, bob, call, eventually } from './__testUtils__/http';
import { DownMode, startTcpProxy, TcpProxy } from './__testUtils__/tcpProxy';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const ACQUIRE_TIMEOUT_MS = 1_500;
const INTENT = 'scale checkout to 3';
/** The audit INSERT of one action (its text, then the action as a value). */
const auditInsert = (action: string) =>
  new RegExp(
    `insert into "kubecopilot_audit"[\\s\\S]*${action.replace('.', '\\.')}`,
    'i',
  );

const supported = databases.eachSupportedId();
// Without PostgreSQL the suite is reported as skipped, not as failed to load.
const describeEach = supported.length
  ? describe.each(supported)
  : describe.skip.each([['POSTGRES_15' as const]]);

describeEach('database faults on %p', id => {
  let cluster: DemoCluster;
  let direct: Knex;
  let proxied: Knex;
  let proxy: TcpProxy;
  let base: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    await import('@kubernetes/client-node');
    cluster = await startDemoCluster({
      port: 0,
      podStartupMs: 50,
      scenarios: shopScenarios(),
    });
    direct = await databases.init(id);
    const connection = (direct.client as any).config.connection;
    proxy = await startTcpProxy({
      host: connection.host ?? '127.0.0.1',
      port: Number(connection.port ?? 5432),
    });
    proxied = knexFactory({
      client: 'pg',
      connection: { ...connection, host: '127.0.0.1', port: proxy.port },
      pool: { min: 0, max: 4 },
      acquireConnectionTimeout: ACQUIRE_TIMEOUT_MS,
      // knex reports every lost connection on the console; they are the point.
      log: { warn() {}, error() {}, debug() {}, deprecate() {} },
    });
    ({ url: base, stop } = await startResilienceBackend({
      cluster,
      knex: proxied,
    }));
  });

  afterAll(async () => {
    await proxy?.up();
    await stop?.();
    await proxied?.destroy();
    await proxy?.close();
    await cluster?.stop();
  });

  afterEach(async () => {
    proxy.disarm();
    await proxy.up();
  });

  async function createPlan() {
    const created = await call(base, 'POST', '/plans', alice, {
      entityRef: CHECKOUT,
      intent: INTENT,
    });
    expect(created.body.error).toBeUndefined();
    expect(created.status).toBe(201);
    return created.body;
  }

  const planRows = async () =>
    (await direct('kubecopilot_plans').select('id')).map(r => r.id as string);
  /** Oldest first (GET /audit lists newest first). */
  const auditActions = async (planId: string) =>
    (await call(base, 'GET', `/audit?planId=${planId}`)).body.items
      .map((e: any) => e.action)
      .reverse();

  /** A clear 503 in time, naming the database and nothing about it. */
  async function expectUnavailable(
    method: string,
    path: string,
    as = alice,
    body?: unknown,
  ) {
    const started = Date.now();
    const res = await call(base, method, path, as, body);
    const ms = Date.now() - started;
    expect({ path, status: res.status, name: res.body.error?.name }).toEqual({
      path,
      status: 503,
      name: 'ServiceUnavailableError',
    });
    expect(res.body.error.message).toMatch(/^the database is unavailable: /);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(String(proxy.port));
    expect(text).not.toMatch(/postgres|kubecopilot_|select |insert |update /i);
    expect(ms).toBeLessThan(ACQUIRE_TIMEOUT_MS + 2_000);
    return res;
  }

  it.each<[string, DownMode]>([
    ['refuses connections', 'refuse'],
    ['resets connections', 'reset'],
    ['accepts connections but never answers', 'blackhole'],
  ])(
    'while the database %s: 503s in time; once it is back, the same requests succeed',
    async (_name, mode) => {
      const pending = await createPlan();
      await proxy.down(mode);

      await expectUnavailable('GET', '/plans');
      await expectUnavailable('GET', `/plans/${pending.id}`);
      await expectUnavailable('POST', '/plans', alice, {
        entityRef: CHECKOUT,
        intent: INTENT,
      });
      await expectUnavailable('POST', `/plans/${pending.id}/approve`, bob, {});

      await proxy.up();
      // Connections still being opened when it went away fail now; the
      // pool may hand one such failure to the first request (a 503 too).
      const list = await eventually(
        () => call(base, 'GET', '/plans'),
        res => res.status !== 503,
        { timeoutMs: 3_000 },
      );
      expect(list.status).toBe(200);
      expect(list.body.items.map((p: any) => p.id)).toContain(pending.id);
      const created = await createPlan();
      const approved = await call(
        base,
        'POST',
        `/plans/${pending.id}/approve`,
        bob,
        {},
      );
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('confirmed');
      expect(await auditActions(created.id)).toEqual(['plan.created']);
      expect(await auditActions(pending.id)).toEqual([
        'plan.created',
        'plan.approved',
      ]);
    },
  );

  it('a connection lost at the audit INSERT of an approval: neither the approval nor its entry is written', async () => {
    const plan = await createPlan();
    const cut = proxy.cutAt(auditInsert('plan.approved'));
    const res = await call(base, 'POST', `/plans/${plan.id}/approve`, bob, {});
    // The plan's UPDATE went out on the same connection, in the same
    // transaction, before the connection was cut.
    expect(await cut).toMatch(
      /update "kubecopilot_plans"[\s\S]*savepoint[\s\S]*insert into "kubecopilot_audit"/i,
    );
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(/^the database is unavailable: /);

    const { body: after } = await call(base, 'GET', `/plans/${plan.id}`);
    expect(after).toMatchObject({
      status: 'pending',
      revision: plan.revision,
      approvals: [],
    });
    expect(await auditActions(plan.id)).toEqual(['plan.created']);
    expect((await call(base, 'GET', '/audit/verify')).body).toMatchObject({
      ok: true,
    });

    const again = await call(
      base,
      'POST',
      `/plans/${plan.id}/approve`,
      bob,
      {},
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      status: 'confirmed',
      revision: plan.revision + 1,
    });
    expect(await auditActions(plan.id)).toEqual([
      'plan.created',
      'plan.approved',
    ]);
    expect((await call(base, 'GET', '/audit/verify')).body).toMatchObject({
      ok: true,
    });
  });

  it('a connection lost at the audit INSERT of a new plan: no plan is left behind', async () => {
    const rowsBefore = await planRows();
    const listedBefore = (await call(base, 'GET', '/plans')).body.items.map(
      (p: any) => p.id,
    );
    const cut = proxy.cutAt(auditInsert('plan.created'));
    const res = await call(base, 'POST', '/plans', alice, {
      entityRef: CHECKOUT,
      intent: INTENT,
    });
    expect(await cut).toMatch(
      /insert into "kubecopilot_plans"[\s\S]*savepoint[\s\S]*insert into "kubecopilot_audit"/i,
    );
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(/^the database is unavailable: /);

    expect((await planRows()).sort()).toEqual(rowsBefore.sort());
    const listed = await call(base, 'GET', '/plans');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((p: any) => p.id)).toEqual(listedBefore);
    expect((await call(base, 'GET', '/audit/verify')).body).toMatchObject({
      ok: true,
    });

    // The same request goes through once the connection is healthy.
    const created = await createPlan();
    expect(await auditActions(created.id)).toEqual(['plan.created']);
  });
});
