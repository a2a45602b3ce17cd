// @ts-check

/**
 * Plans, the audit chain and diagnoses.
 *
 * Timestamps are always written by the application (never a database default)
 * so that SQLite stores the same millisecond values that keyset cursors
 * compare against.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kubecopilot_plans', table => {
    table.comment(
      'Operation plans. `plan` holds the whole OperationPlan; the other columns are projections of it for queries and permission filters, written in the same statement.',
    );
    table.string('id', 64).primary().comment('Plan id (a UUID)');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Catalog entity the plan belongs to, lower-cased');
    table
      .string('owner_ref', 512)
      .nullable()
      .comment(
        "The entity's owner when the plan was made, lower-cased; backs the isEntityOwner permission rule",
      );
    table
      .string('status', 32)
      .notNullable()
      .comment(
        'pending | confirmed | executing | executed | failed | reverted | rejected | expired',
      );
    table
      .string('action', 32)
      .notNullable()
      .comment('create | update | delete | scale | restart');
    table.string('cluster', 255).notNullable().comment('Target cluster name');
    table.string('kind', 255).notNullable().comment('Target object kind');
    table
      .string('namespace', 255)
      .nullable()
      .comment('Target namespace; NULL for cluster-scoped kinds');
    table.string('name', 255).notNullable().comment('Target object name');
    table
      .string('risk_level', 16)
      .notNullable()
      .comment('low | medium | high, from the risk engine');
    table
      .string('requested_by', 512)
      .notNullable()
      .comment('User entity ref of the requester, lower-cased');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When the plan was drafted; the inbox sorts on it');
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('Last lifecycle change');
    table
      .integer('revision')
      .notNullable()
      .defaultTo(0)
      .comment(
        'Optimistic lock: an update sets revision + 1 only where revision still equals the value read',
      );
    table
      .text('plan', 'longtext')
      .notNullable()
      .comment('The OperationPlan as JSON');
    table
      .string('execution_idempotency_key', 255)
      .nullable()
      .comment('Idempotency-Key of the execute request that claimed the plan');
    table
      .text('execution_result', 'longtext')
      .nullable()
      .comment(
        'JSON of the execute outcome, replayed when the same Idempotency-Key is sent again',
      );

    // Keyset pagination reads (created_at, id) newest first; a B-tree scanned
    // backwards serves DESC order, so ascending indexes suffice.
    table.index(
      ['status', 'created_at', 'id'],
      'kubecopilot_plans_status_created_idx',
    );
    table.index(
      ['entity_ref', 'created_at', 'id'],
      'kubecopilot_plans_entity_created_idx',
    );
    table.index(['created_at', 'id'], 'kubecopilot_plans_created_idx');
  });

  await knex.schema.createTable('kubecopilot_audit', table => {
    table.comment(
      'Append-only audit log; each row is chained to the previous one by hash so tampering is detectable.',
    );
    table.bigIncrements('id').comment('Sequence number; the chain order');
    table
      .string('plan_id', 64)
      .nullable()
      .comment('Plan the entry is about; NULL for diagnoses');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Catalog entity the entry is about, lower-cased');
    table
      .string('actor', 512)
      .notNullable()
      .comment('Principal that acted: a user entity ref or a plugin id');
    table
      .string('action', 64)
      .notNullable()
      .comment(
        'What happened, e.g. plan.created, plan.executed, diagnosis.created',
      );
    table
      .string('before_hash', 64)
      .nullable()
      .comment('SHA-256 of the object before the change, if any');
    table
      .string('after_hash', 64)
      .nullable()
      .comment('SHA-256 of the object after the change, if any');
    table
      .text('payload', 'longtext')
      .notNullable()
      .comment('Entry details as canonical JSON; never holds secret values');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When the entry was appended');
    table
      .string('prev_hash', 64)
      .notNullable()
      .comment('hash of the previous entry; 64 zeros for the first');
    table
      .string('hash', 64)
      .notNullable()
      .comment('SHA-256(prev_hash || canonical JSON of this entry)');

    // Two writers that read the same chain head cannot both append: the second
    // insert violates this constraint and must re-read the head and retry.
    table.unique(['prev_hash'], {
      indexName: 'kubecopilot_audit_prev_hash_uq',
    });
    table.index(['plan_id', 'id'], 'kubecopilot_audit_plan_idx');
    table.index(['entity_ref', 'id'], 'kubecopilot_audit_entity_idx');
  });

  await knex.schema.createTable('kubecopilot_diagnoses', table => {
    table.comment(
      'Diagnoses of entities, newest shown first on the entity tab.',
    );
    table.string('id', 64).primary().comment('Diagnosis id (a UUID)');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Diagnosed catalog entity, lower-cased');
    table
      .string('created_by', 512)
      .notNullable()
      .comment('Principal that asked for the diagnosis');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When the diagnosis finished');
    table.string('source', 16).notNullable().comment('rules | llm');
    table
      .string('model', 255)
      .nullable()
      .comment('LLM model that answered, when source = llm');
    table
      .string('prompt_version', 64)
      .nullable()
      .comment('Version of the prompt template used, when source = llm');
    table
      .text('diagnosis', 'longtext')
      .notNullable()
      .comment('The Diagnosis as JSON');

    table.index(
      ['entity_ref', 'created_at', 'id'],
      'kubecopilot_diagnoses_entity_created_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kubecopilot_diagnoses');
  await knex.schema.dropTable('kubecopilot_audit');
  await knex.schema.dropTable('kubecopilot_plans');
};
