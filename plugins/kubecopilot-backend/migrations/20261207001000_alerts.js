// @ts-check

/**
 * Alerts received from Alertmanager's webhook (`POST /alerts`). One row per
 * alert episode: Alertmanager's fingerprint (its label set) and startsAt,
 * within a group key; a retried webhook finds its row and changes nothing.
 * An alert whose labels map to no catalog entity is kept with a NULL
 * entity_ref and listed, never dropped.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kubecopilot_alerts', table => {
    table.comment(
      'Alertmanager alerts received by the webhook, one row per episode',
    );
    table.string('id', 64).notNullable().comment('Our id (UUID)');
    table
      .string('group_key', 512)
      .notNullable()
      .comment("Alertmanager's groupKey of the notification that carried it");
    table
      .string('fingerprint', 64)
      .notNullable()
      .comment("Alertmanager's fingerprint of the alert's label set");
    table
      .timestamp('starts_at', { useTz: true })
      .notNullable()
      .comment('When the alert started firing (startsAt)');
    table
      .timestamp('ends_at', { useTz: true })
      .nullable()
      .comment('When it resolved (endsAt of a resolved alert)');
    table.string('status', 16).notNullable().comment('firing | resolved');
    table.string('alertname', 255).notNullable().comment('The alertname label');
    table.text('labels').notNullable().comment('Labels, JSON');
    table.text('annotations').notNullable().comment('Annotations, JSON');
    table
      .string('entity_ref', 255)
      .nullable()
      .comment('Catalog entity the labels map to (lower-cased); NULL: unknown');
    table
      .string('owner_ref', 255)
      .nullable()
      .comment("The entity's owner (lower-cased)");
    table
      .string('mapping', 512)
      .notNullable()
      .comment('How the labels were mapped, or why they could not be');
    table
      .string('diagnosis_id', 64)
      .nullable()
      .comment('kubecopilot_diagnoses.id of the diagnosis made when it fired');
    table
      .text('diagnosis_summary')
      .nullable()
      .comment("That diagnosis' headline or summary");
    table
      .timestamp('notified_at', { useTz: true })
      .nullable()
      .comment('When the owner was notified of it firing');
    table
      .timestamp('received_at', { useTz: true })
      .notNullable()
      .comment('When the webhook first carried it');
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('When a webhook last changed it');
    table.primary(['id'], 'kubecopilot_alerts_pk');
    table.unique(['group_key', 'fingerprint', 'starts_at'], {
      indexName: 'kubecopilot_alerts_episode_uq',
    });
    table.index(['status', 'received_at'], 'kubecopilot_alerts_status_idx');
    table.index(['entity_ref', 'received_at'], 'kubecopilot_alerts_entity_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kubecopilot_alerts');
};
