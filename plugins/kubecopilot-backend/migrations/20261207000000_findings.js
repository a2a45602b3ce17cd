// @ts-check

/**
 * Findings kept by the findings scan: one row per fingerprint (a finding's
 * code, cluster, resource and container), opened when a scan first sees it,
 * updated while it persists and resolved by the first complete scan that no
 * longer does, per entity. A finding that comes back after being resolved reopens the
 * same row (first_seen kept, resolved_at cleared, notified again).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kubecopilot_findings', table => {
    table.comment('Findings of the scheduled findings scan, by fingerprint');
    table
      .string('fingerprint', 64)
      .notNullable()
      .comment(
        'SHA-256 (hex, 32 digits) of code, cluster, resource kind/namespace/name and container',
      );
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Catalog entity the finding belongs to (lower-cased)');
    table
      .string('owner_ref', 255)
      .nullable()
      .comment('Owner of the entity when last seen (lower-cased)');
    table.string('status', 16).notNullable().comment('open | resolved');
    table
      .string('severity', 16)
      .notNullable()
      .comment('info | warning | error | critical (latest)');
    table
      .string('code', 64)
      .notNullable()
      .comment('Finding code, e.g. CrashLoopBackOff');
    table.string('title', 512).notNullable().comment('One-line summary');
    table.string('cluster', 255).notNullable().comment('Cluster name');
    table
      .text('finding')
      .notNullable()
      .comment('The finding as last seen, JSON (already redacted)');
    table
      .string('diagnosis_id', 64)
      .nullable()
      .comment('kubecopilot_diagnoses.id of the diagnosis that last saw it');
    table
      .timestamp('first_seen', { useTz: true })
      .notNullable()
      .comment('When a scan first saw it');
    table
      .timestamp('last_seen', { useTz: true })
      .notNullable()
      .comment('When a scan last saw it');
    table
      .timestamp('resolved_at', { useTz: true })
      .nullable()
      .comment('When a complete scan no longer saw it (null while open)');
    table
      .timestamp('notified_at', { useTz: true })
      .nullable()
      .comment('When the owner was notified of this opening (null: not yet)');
    table
      .string('plan_id', 64)
      .nullable()
      .comment('A pending draft plan made for it, if any');
    // The same object can belong to two entities (overlapping selectors):
    // each keeps its own record of it.
    table.primary(['entity_ref', 'fingerprint'], 'kubecopilot_findings_pk');
    table.index(
      ['status', 'last_seen'],
      'kubecopilot_findings_status_last_seen_idx',
    );
    table.index(['fingerprint'], 'kubecopilot_findings_fingerprint_idx');
    table.index(['owner_ref', 'status'], 'kubecopilot_findings_owner_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kubecopilot_findings');
};
