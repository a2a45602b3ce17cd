// @ts-check

/**
 * Reverts in flight: an executed plan whose revert was claimed but never
 * settled (the backend stopped, or the database failed after the claim) is
 * found by this column and settled from the live object by maintenance,
 * instead of staying "being reverted" forever.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('kubecopilot_plans', table => {
    table
      .timestamp('revert_started_at', { useTz: true })
      .nullable()
      .comment(
        'When a revert of this plan was claimed and has not finished yet; NULL otherwise',
      );
    table.index(['revert_started_at'], 'kubecopilot_plans_revert_started_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('kubecopilot_plans', table => {
    table.dropIndex(['revert_started_at'], 'kubecopilot_plans_revert_started_at_idx');
    table.dropColumn('revert_started_at');
  });
};
