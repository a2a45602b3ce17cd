import { readFileSync } from 'node:fs';
import knexFactory, { Knex } from 'knex';
import { CheckpointKeyring } from './checkpoint';
import { AuditVerification } from './types';
import { verifyAuditDatabase, verifyChainTable } from './verifyAudit';

export const VERIFY_USAGE = `Usage: kubecopilot-audit-verify (--pg <connection string> | --sqlite <file>)
                                [--public-key <file.pem>]...

Recomputes KubeCopilot's audit hash chain straight from the database, without
the backend, and names the first entry that does not verify. With public keys
(--public-key, repeatable, or PEM text in KUBECOPILOT_AUDIT_PUBLIC_KEYS) it
also checks every signed checkpoint: its signature, and that the entry it
signed still has the signed hash, so a chain edited and rehashed is caught.
Exit status 0 when everything verifies, 1 when it does not, 2 on bad usage.`;

/** Verifies the hash chain alone over a knex connection, batch by batch. */
export async function verifyAuditTable(db: Knex): Promise<AuditVerification> {
  return verifyChainTable(db);
}

type Args = { client: 'pg' | 'sqlite'; target: string; keyFiles: string[] };

function parseArgs(argv: string[]): Args | undefined {
  let client: Args['client'] | undefined;
  let target: string | undefined;
  const keyFiles: string[] = [];
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (!value) return undefined;
    if (flag === '--pg' || flag === '--sqlite') {
      if (client) return undefined;
      client = flag === '--pg' ? 'pg' : 'sqlite';
      target = value;
    } else if (flag === '--public-key') {
      keyFiles.push(value);
    } else {
      return undefined;
    }
  }
  return client && target ? { client, target, keyFiles } : undefined;
}

/** The offline `kubecopilot-audit-verify` command. Returns the exit status. */
export async function runVerifyCli(
  argv: string[],
  out: (line: string) => void = line => process.stdout.write(`${line}\n`),
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const args = parseArgs(argv);
  if (!args) {
    out(VERIFY_USAGE);
    return 2;
  }
  const pems = args.keyFiles.map(file => readFileSync(file, 'utf8'));
  if (env.KUBECOPILOT_AUDIT_PUBLIC_KEYS?.trim()) {
    pems.push(env.KUBECOPILOT_AUDIT_PUBLIC_KEYS);
  }
  const keyring = pems.length > 0 ? CheckpointKeyring.fromPem(pems) : undefined;
  const db = knexFactory(
    args.client === 'pg'
      ? { client: 'pg', connection: args.target }
      : {
          client: 'better-sqlite3',
          connection: { filename: args.target },
          useNullAsDefault: true,
        },
  );
  try {
    const result = await verifyAuditDatabase(db, { keyring });
    out(JSON.stringify(result));
    return result.ok ? 0 : 1;
  } finally {
    await db.destroy();
  }
}
