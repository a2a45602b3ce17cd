import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { makePlan } from '../__testUtils__/plans';
import { DatabasePlanStore } from '../plans/DatabasePlanStore';
import { migrationsDirectory } from './migrations';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const TABLES = [
  'kubecopilot_plans',
  'kubecopilot_audit',
  'kubecopilot_diagnoses',
  'kubecopilot_llm_usage',
  'kubecopilot_audit_checkpoints',
  'kubecopilot_findings',
  'kubecopilot_alerts',
  'kubecopilot_postmortems',
  'kubecopilot_findings_scans',
];

async function indexNames(knex: Knex, table: string): Promise<string[]> {
  if (knex.client.config.client === 'pg') {
    const result = await knex.raw(
      'select indexname as name from pg_indexes where tablename = ?',
      [table],
    );
    return result.rows.map((r: { name: string }) => r.name).sort();
  }
  const rows = await knex.raw(
    "select name from sqlite_master where type = 'index' and tbl_name = ? and name not like 'sqlite_autoindex%'",
    [table],
  );
  return rows.map((r: { name: string }) => r.name).sort();
}

/**
 * The plan of `sql`, as one string per step. On PostgreSQL, sorts and bitmap
 * scans are priced out: on a table this small the planner may prefer them
 * even when an index can deliver the order, and the question here is whether
 * it can (with a sort disabled, a plan that still sorts has no alternative).
 */
async function explain(
  knex: Knex,
  sql: string,
  bindings: readonly unknown[],
): Promise<string> {
  if (knex.client.config.client === 'pg') {
    return knex.transaction(async tx => {
      await tx.raw('set local enable_sort = off');
      await tx.raw('set local enable_bitmapscan = off');
      // The query event carries pg's native $n placeholders; knex.raw wants ?.
      const result = await tx.raw(
        `explain ${sql.replace(/\$\d+/g, '?')}`,
        bindings as any,
      );
      return result.rows
        .map((r: Record<string, string>) => r['QUERY PLAN'])
        .join('\n');
    });
  }
  const rows = await knex.raw(`explain query plan ${sql}`, bindings as any);
  return rows.map((r: { detail: string }) => r.detail).join('\n');
}

describe.each(databases.eachSupportedId())('migrations on %p', id => {
  it('creates the tables with named indexes, and drops them again', async () => {
    const knex = await databases.init(id);
    await knex.migrate.latest({ directory: migrationsDirectory });

    for (const table of TABLES) {
      await expect(knex.schema.hasTable(table)).resolves.toBe(true);
    }
    for (const column of [
      'revision',
      'plan',
      'owner_ref',
      'execution_idempotency_key',
      'execution_result',
    ]) {
      await expect(
        knex.schema.hasColumn('kubecopilot_plans', column),
      ).resolves.toBe(true);
    }
    await expect(indexNames(knex, 'kubecopilot_plans')).resolves.toEqual(
      expect.arrayContaining([
        'kubecopilot_plans_created_idx',
        'kubecopilot_plans_entity_created_idx',
        'kubecopilot_plans_status_created_idx',
      ]),
    );
    await expect(indexNames(knex, 'kubecopilot_audit')).resolves.toEqual(
      expect.arrayContaining([
        'kubecopilot_audit_entity_idx',
        'kubecopilot_audit_plan_idx',
        'kubecopilot_audit_prev_hash_uq',
      ]),
    );
    await expect(
      indexNames(knex, 'kubecopilot_audit_checkpoints'),
    ).resolves.toEqual(
      expect.arrayContaining(['kubecopilot_audit_checkpoints_head_idx']),
    );
    await expect(indexNames(knex, 'kubecopilot_diagnoses')).resolves.toEqual(
      expect.arrayContaining(['kubecopilot_diagnoses_entity_created_idx']),
    );

    await knex.migrate.rollback({ directory: migrationsDirectory }, true);
    for (const table of TABLES) {
      await expect(knex.schema.hasTable(table)).resolves.toBe(false);
    }

    // A clean `down` lets the schema come back.
    await knex.migrate.latest({ directory: migrationsDirectory });
    await expect(knex.schema.hasTable('kubecopilot_plans')).resolves.toBe(true);
  });

  it('numbers audit entries and lets only one entry follow a chain head', async () => {
    const knex = await databases.init(id);
    await knex.migrate.latest({ directory: migrationsDirectory });
    const entry = (prev: string, hash: string) => ({
      plan_id: null,
      entity_ref: 'component:default/checkout',
      actor: 'user:default/alice',
      action: 'diagnosis.created',
      payload: '{}',
      created_at: new Date('2026-11-26T02:00:00.000Z'),
      prev_hash: prev,
      hash,
    });
    const genesis = '0'.repeat(64);
    await knex('kubecopilot_audit').insert(entry(genesis, 'a'.repeat(64)));
    await knex('kubecopilot_audit').insert(
      entry('a'.repeat(64), 'b'.repeat(64)),
    );
    await expect(
      knex('kubecopilot_audit').insert(entry('a'.repeat(64), 'c'.repeat(64))),
    ).rejects.toMatchObject({ message: expect.stringMatching(/unique/i) });

    const rows = await knex('kubecopilot_audit')
      .orderBy('id')
      .select('id', 'hash');
    expect(rows.map(r => Number(r.id))).toEqual([1, 2]);
    expect(rows.map(r => r.hash[0])).toEqual(['a', 'b']);
  });

  it('serves the newest-first pending inbox from the status index, without a sort', async () => {
    const knex = await databases.init(id);
    const store = await DatabasePlanStore.create({
      database: mockServices.database({ knex }),
    });
    // As in a real inbox, few plans wait: 1 in 100.
    const statuses = ['executed', 'rejected', 'reverted'] as const;
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    const rows = Array.from({ length: 4000 }, (_, i) => {
      const plan = makePlan({
        id: `plan-${String(i).padStart(5, '0')}`,
        status: i % 100 === 0 ? 'pending' : statuses[i % statuses.length],
        entityRef: `component:default/service-${i % 50}`,
        createdAt: new Date(start + i * 1000).toISOString(),
      });
      return {
        id: plan.id,
        entity_ref: plan.entityRef,
        status: plan.status,
        action: plan.action,
        cluster: plan.resource.cluster,
        kind: plan.resource.kind,
        namespace: plan.resource.namespace,
        name: plan.resource.name,
        risk_level: plan.risk.level,
        requested_by: plan.audit.requestedBy,
        created_at: new Date(plan.audit.timestamps.createdAt),
        updated_at: new Date(plan.audit.timestamps.createdAt),
        revision: 0,
        plan: JSON.stringify(plan),
      };
    });
    await knex.batchInsert('kubecopilot_plans', rows, 500);
    await knex.raw(
      knex.client.config.client === 'pg'
        ? 'analyze kubecopilot_plans'
        : 'analyze',
    );

    // Capture the SQL the store really runs for the inbox's second page.
    const first = await store.listPlans({ status: 'pending', limit: 20 });
    const queries: Array<{ sql: string; bindings: readonly unknown[] }> = [];
    const onQuery = (q: { sql: string; bindings: readonly unknown[] }) =>
      queries.push(q);
    knex.on('query', onQuery);
    const second = await store.listPlans({
      status: 'pending',
      limit: 20,
      cursor: first.nextCursor,
    });
    knex.off('query', onQuery);

    expect(second.items[0].plan.id).toBe('plan-01900');
    expect(queries).toHaveLength(1);
    const plan = await explain(knex, queries[0].sql, queries[0].bindings);
    expect(plan).toMatch(/kubecopilot_plans_status_created_idx/);
    expect(plan).not.toMatch(/\bSort\b|TEMP B-TREE/);
  });
});
