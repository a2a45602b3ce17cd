// @ts-check

/**
 * Postmortem drafts, versioned: version 1 is the draft the rules made; every
 * save of the edited Markdown adds a version, none is overwritten.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kubecopilot_postmortems', table => {
    table.comment('Postmortem drafts and their edited versions');
    table.string('id', 64).notNullable().comment('Postmortem id (UUID)');
    table.integer('version').notNullable().comment('1, 2, 3, … per postmortem');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Catalog entity it is about (lower-cased)');
    table
      .string('updated_by', 255)
      .notNullable()
      .comment('Who made this version (lower-cased ref)');
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('When this version was made');
    table
      .text('postmortem')
      .notNullable()
      .comment('The postmortem of this version, JSON');
    table.primary(['id', 'version'], 'kubecopilot_postmortems_pk');
    table.index(
      ['entity_ref', 'updated_at'],
      'kubecopilot_postmortems_entity_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kubecopilot_postmortems');
};
