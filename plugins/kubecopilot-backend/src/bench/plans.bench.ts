/*
 * Plans benchmark (run by `npm run bench`):
 * - p95 of the inbox query (status=pending, newest first, one page, and the
 *   next page by cursor) with 100 000 plans on PostgreSQL — target ≤ 20 ms;
 * - p95 of POST /plans → persisted, without the LLM, through the real HTTP
 *   API of a backend running the real Kubernetes plugin against the demo
 *   cluster — target ≤ 50 ms.
 * Prints `BENCH_RESULT {json}` lines; see scripts/bench.mjs.
 */
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { startDemoCluster } from '@kubecopilot/demo-cluster';
import knexFactory, { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabasePlanStore } from '../plans/DatabasePlanStore';
import { kubecopilotPlugin } from '../plugin';

const PLANS = Number(process.env.KUBECOPILOT_BENCH_PLANS ?? 100_000);
const STATUSES = ['pending', 'confirmed', 'executed', 'failed', 'reverted', 'rejected', 'expired'];

function result(figure: string, value: number, unit: string, target?: { max: number }) {
  const line = {
    figure,
    value: Math.round(value * 1000) / 1000,
    unit,
    ...(target ? { target: `≤ ${target.max} ${unit}`, pass: value <= target.max } : {}),
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(line)}\n`);
}

function percentile(samples: number[], p: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

async function withDatabase(url: string, fn: (knex: Knex) => Promise<void>) {
  const name = `kubecopilot_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = knexFactory({ client: 'pg', connection: url });
  await admin.raw(`CREATE DATABASE ${name}`);
  const knex = knexFactory({ client: 'pg', connection: `${url.replace(/\/$/, '')}/${name}`, pool: { min: 1, max: 4 } });
  try {
    await fn(knex);
  } finally {
    await knex.destroy();
    await admin.raw(`DROP DATABASE ${name}`);
    await admin.destroy();
  }
}

async function inboxQuery(url: string) {
  await withDatabase(url, async knex => {
    const store = await DatabasePlanStore.create({ database: mockServices.database({ knex }) });
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    const [insertMs] = await timed(async () => {
      for (let offset = 0; offset < PLANS; offset += 1_000) {
        const rows = [];
        for (let i = offset; i < Math.min(PLANS, offset + 1_000); i++) {
          const createdAt = new Date(base + i * 1_000);
          const status = i % 10 === 0 ? 'pending' : STATUSES[1 + (i % (STATUSES.length - 1))];
          const id = randomUUID();
          const plan = {
            id,
            entityRef: `component:default/service-${i % 500}`,
            status,
            action: 'scale',
            resource: { cluster: 'demo', kind: 'Deployment', namespace: 'shop', name: `service-${i % 500}` },
            params: { replicas: 3 },
            diff: { before: { spec: { replicas: 2 } }, after: { spec: { replicas: 3 } } },
            risk: { level: 'low', rationale: 'low: no risk rule applies', reasons: [] },
            aiRationale: 'bench',
            rationaleSource: 'rules',
            audit: {
              requestedBy: 'user:default/bench',
              confirmedBy: null,
              executedBy: null,
              timestamps: { createdAt: createdAt.toISOString(), confirmedAt: null, executedAt: null, failedAt: null, revertedAt: null },
            },
            approvals: [],
            requiresSecondApprover: false,
            revision: 0,
          };
          rows.push({
            id,
            entity_ref: plan.entityRef,
            owner_ref: 'group:default/team-shop',
            status,
            action: 'scale',
            cluster: 'demo',
            kind: 'Deployment',
            namespace: 'shop',
            name: plan.resource.name,
            risk_level: 'low',
            requested_by: 'user:default/bench',
            created_at: createdAt,
            updated_at: createdAt,
            revision: 0,
            plan: JSON.stringify(plan),
          });
        }
        await knex('kubecopilot_plans').insert(rows);
      }
      await knex.raw('ANALYZE kubecopilot_plans');
    });
    process.stdout.write(`inserted ${PLANS} plans in ${Math.round(insertMs)} ms\n`);

    const first: number[] = [];
    const next: number[] = [];
    for (let i = 0; i < 20; i++) await store.listPlans({ status: 'pending', limit: 20 }); // warm-up
    for (let i = 0; i < 300; i++) {
      const [ms, page] = await timed(() => store.listPlans({ status: 'pending', limit: 20 }));
      first.push(ms);
      const [msNext] = await timed(() => store.listPlans({ status: 'pending', limit: 20, cursor: page.nextCursor }));
      next.push(msNext);
    }
    result(`inbox query p95, first page (${PLANS} plans, PostgreSQL)`, percentile(first, 95), 'ms', { max: 20 });
    result(`inbox query p95, next page by cursor (${PLANS} plans, PostgreSQL)`, percentile(next, 95), 'ms', { max: 20 });
    result('inbox query p50, first page', percentile(first, 50), 'ms');
  });
}

async function createPlanLatency(url: string | undefined) {
  const scenarios = resolve(__dirname, '../../../../examples/scenarios');
  const cluster = await startDemoCluster({ port: 0, scenarios: [`${scenarios}/cluster.yaml`, `${scenarios}/checkout.yaml`] });
  const knex = url ? knexFactory({ client: 'pg', connection: url }) : undefined;
  const backend = await startTestBackend({
    features: [
      kubecopilotPlugin,
      kubernetesPlugin,
      ...(knex ? [mockServices.database.factory({ knex })] : []),
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'checkout', namespace: 'default', annotations: { 'backstage.io/kubernetes-id': 'checkout' } },
            spec: { type: 'service', owner: 'group:default/team-shop', lifecycle: 'production' },
          },
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  { name: 'demo', url: cluster.url, authProvider: 'serviceAccount', serviceAccountToken: cluster.token, caData: cluster.caData, skipMetricsLookup: true },
                ],
              },
            ],
          },
          // The benchmark measures plan creation, not the per-user limiter.
          kubecopilot: { limits: { rateLimit: { enabled: false } } },
        },
      }),
    ],
  });
  const port = (backend.server.address() as { port: number }).port;
  const post = async () => {
    const response = await fetch(`http://localhost:${port}/api/kubecopilot/plans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: mockCredentials.user.header('user:default/bench') },
      body: JSON.stringify({ entityRef: 'component:default/checkout', intent: 'scale checkout to 3' }),
    });
    if (response.status !== 201) throw new Error(`POST /plans answered ${response.status}: ${await response.text()}`);
    return response.json();
  };
  try {
    for (let i = 0; i < 10; i++) await post(); // warm-up: module loading, connection pools
    const samples: number[] = [];
    for (let i = 0; i < 100; i++) samples.push((await timed(post))[0]);
    const where = url ? 'PostgreSQL' : 'SQLite';
    result(`POST /plans → persisted p95 (no LLM, ${where}, demo cluster)`, percentile(samples, 95), 'ms', { max: 50 });
    result('POST /plans → persisted p50', percentile(samples, 50), 'ms');
  } finally {
    await backend.stop();
    await cluster.stop();
    await knex?.destroy();
  }
}

async function main() {
  const url = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (url) {
    await inboxQuery(url);
  } else {
    process.stdout.write('skipped the inbox benchmark: no PostgreSQL (set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING)\n');
  }
  await createPlanLatency(undefined);
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
