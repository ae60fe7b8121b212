// @ts-check

/**
 * One row per template instance (catalog entity): where it is, what it records, and the pull request that brings it
 * to the newest version. Times are epoch milliseconds (a double: the same numbers in SQLite and PostgreSQL).
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('template_sync_instances', table => {
    table.comment(
      'Template instances found in the catalog and their sync state',
    );
    table.string('entity_ref', 255).primary().notNullable();
    table.string('title', 255).nullable();
    table.string('owner', 255).nullable();
    table.text('source').notNullable();
    table.string('template_name', 255).notNullable();
    table.string('answers_file', 500).notNullable();
    table.text('repo_url').nullable();
    table.string('current_version', 100).nullable();
    table.string('latest_version', 100).nullable();
    table.string('status', 20).notNullable().defaultTo('unknown');
    table.integer('pr_number').nullable();
    table.text('pr_url').nullable();
    table.string('pr_version', 100).nullable();
    table.boolean('pr_draft').notNullable().defaultTo(false);
    table.integer('pr_conflicts').notNullable().defaultTo(0);
    table.integer('pr_files').notNullable().defaultTo(0);
    table.text('error').nullable();
    table.double('checked_at').nullable();
    table.string('locked_by', 255).nullable();
    table.double('locked_until').nullable();
    table.index(['source'], 'template_sync_instances_source_idx');
    table.index(['status'], 'template_sync_instances_status_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('template_sync_instances');
};
