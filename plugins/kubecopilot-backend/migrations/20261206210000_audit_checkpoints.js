// @ts-check

/**
 * Signed checkpoints of the audit hash chain's head.
 *
 * The chain alone shows an edit only to someone who cannot rehash it; a
 * database writer can. A checkpoint is an Ed25519 signature, by a key the
 * database never holds, over (head id, head hash, entry count), so a rehashed
 * chain no longer matches the checkpoints written before the edit.
 * Checkpoints are numbered without gaps and each signs the hash of the
 * previous one's signature, so a deleted or reordered checkpoint shows too.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kubecopilot_audit_checkpoints', table => {
    table.comment(
      'Ed25519-signed checkpoints of the kubecopilot_audit hash chain head',
    );
    table
      .bigInteger('seq')
      .notNullable()
      .comment(
        'Checkpoint number: 1, 2, 3, … without gaps (signed), one writer at a time',
      );
    table
      .bigInteger('head_id')
      .notNullable()
      .comment('kubecopilot_audit.id of the chain head this checkpoint signs');
    table
      .string('head_hash', 64)
      .notNullable()
      .comment('kubecopilot_audit.hash of that entry when it was signed');
    table
      .bigInteger('entry_count')
      .notNullable()
      .comment('Number of audit entries up to and including head_id');
    table
      .timestamp('signed_at', { useTz: true })
      .notNullable()
      .comment('When it was signed (part of the signed message)');
    table
      .string('key_id', 64)
      .notNullable()
      .comment(
        'First 16 hex digits of the SHA-256 of the public key (SPKI DER) that verifies it',
      );
    table
      .string('reason', 64)
      .notNullable()
      .comment(
        'Why it was written: scheduled, or the audited action (plan.executed, …)',
      );
    table
      .string('prev_signature_hash', 64)
      .notNullable()
      .comment(
        'SHA-256 of the previous checkpoint signature (64 zeros for the first)',
      );
    table
      .text('signature')
      .notNullable()
      .comment(
        'Ed25519 signature, base64, over the canonical JSON of the other columns',
      );
    table.primary(['seq'], 'kubecopilot_audit_checkpoints_pk');
    table.index(['head_id'], 'kubecopilot_audit_checkpoints_head_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kubecopilot_audit_checkpoints');
};
