// @ts-check

/**
 * What the findings scan last recorded per entity: the diagnosis it stored
 * and the signature of its findings (fingerprints with severities, and
 * whether the diagnosis was complete). A scan that finds the same again
 * within `kubecopilot.findings.scan.recordEvery` stores no new diagnosis and
 * no audit entry; its findings are reconciled against this diagnosis.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kubecopilot_findings_scans', table => {
    table.comment(
      'The diagnosis the findings scan last recorded for each entity',
    );
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Catalog entity scanned (lower-cased)');
    table
      .string('diagnosis_id', 64)
      .notNullable()
      .comment(
        'kubecopilot_diagnoses.id last recorded by the scan (may since be pruned)',
      );
    table
      .string('signature', 64)
      .notNullable()
      .comment(
        'SHA-256 (hex) of the sorted fingerprint:severity pairs and completeness',
      );
    table
      .timestamp('recorded_at', { useTz: true })
      .notNullable()
      .comment('When that diagnosis was recorded');
    table.primary(['entity_ref'], 'kubecopilot_findings_scans_pk');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kubecopilot_findings_scans');
};
