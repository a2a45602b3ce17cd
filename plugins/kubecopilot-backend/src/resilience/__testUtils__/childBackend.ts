/**
 * Entry point of a backend run in a child process, so that a test can kill
 * it for real (SIGKILL: no shutdown hooks, no finally blocks, no flushed
 * writes). Started by `spawnBackend()`; options come as JSON in the
 * KUBECOPILOT_CHILD_BACKEND environment variable. Prints `listening <port>`
 * once it serves.
 */
import knexFactory from 'knex';
import { ClusterAccess, startResilienceBackend } from './backend';

async function main() {
  const options: { cluster: ClusterAccess; sqliteFile: string } = JSON.parse(
    process.env.KUBECOPILOT_CHILD_BACKEND ?? '{}',
  );
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: options.sqliteFile },
    useNullAsDefault: true,
  });
  const { server } = await startResilienceBackend({
    cluster: options.cluster,
    knex,
  });
  const { port } = server.address() as { port: number };
  process.stdout.write(`listening ${port}\n`);
}

main().catch(error => {
  process.stderr.write(`child backend failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
