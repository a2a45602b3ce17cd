// @ts-check

/**
 * LLM token spend per user and UTC day, for
 * `kubecopilot.limits.llmTokensPerUserPerDay`.
 *
 * One row per (user, day), incremented with an atomic
 * `INSERT … ON CONFLICT (user_ref, day) DO UPDATE SET tokens = tokens + …`
 * (SQLite ≥ 3.24 and PostgreSQL ≥ 9.5), so concurrent replicas never lose a
 * charge.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kubecopilot_llm_usage', table => {
    table.comment(
      'LLM tokens (prompt + completion, as the endpoint reported them) spent per caller and UTC day',
    );
    table
      .string('user_ref', 512)
      .notNullable()
      .comment(
        "The caller, lower-cased: a user entity ref, or a service principal's subject",
      );
    table
      .string('day', 10)
      .notNullable()
      .comment('UTC day as YYYY-MM-DD');
    table
      .bigInteger('tokens')
      .notNullable()
      .defaultTo(0)
      .comment('Tokens spent by the caller on that day');
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('Last charge');
    table.primary(['user_ref', 'day'], 'kubecopilot_llm_usage_pk');
    table.index(['day'], 'kubecopilot_llm_usage_day_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kubecopilot_llm_usage');
};
