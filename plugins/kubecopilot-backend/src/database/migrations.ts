import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Where the package's knex migrations live, in the workspace and when installed. */
export const migrationsDirectory = resolvePackagePath(
  '@kubecopilot/backstage-plugin-kubecopilot-backend',
  'migrations',
);

/**
 * Brings the plugin's tables up to date. Every store calls this from its
 * `create`; knex's migration lock makes concurrent callers safe.
 */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: migrationsDirectory });
}
