import knexFactory, { Knex } from 'knex';
import { ChainVerifier } from './chain';
import { AuditRow, toEntry } from './DatabaseAuditStore';
import { AuditVerification } from './types';

export const VERIFY_USAGE = `Usage: kubecopilot-audit-verify (--pg <connection string> | --sqlite <file>)

Recomputes KubeCopilot's audit hash chain straight from the database, without
the backend, and names the first entry that does not verify. Exit status 0
when the chain verifies, 1 when it is broken, 2 on bad usage.`;

/** Verifies the chain over a knex connection, batch by batch. */
export async function verifyAuditTable(db: Knex): Promise<AuditVerification> {
  const verifier = new ChainVerifier();
  let after = -1;
  for (;;) {
    const rows: AuditRow[] = await db('kubecopilot_audit')
      .where('id', '>', after)
      .orderBy('id', 'asc')
      .limit(1_000);
    if (rows.length === 0) break;
    for (const row of rows) {
      const ok = verifier.push(toEntry(row));
      if (!ok) return verifier.result();
    }
    after = Number(rows[rows.length - 1].id);
  }
  return verifier.result();
}

/** The offline `kubecopilot-audit-verify` command. Returns the exit status. */
export async function runVerifyCli(
  argv: string[],
  out: (line: string) => void = line => process.stdout.write(`${line}\n`),
): Promise<number> {
  const [flag, target] = argv;
  if (!target || !['--pg', '--sqlite'].includes(flag)) {
    out(VERIFY_USAGE);
    return 2;
  }
  const db = knexFactory(
    flag === '--pg'
      ? { client: 'pg', connection: target }
      : {
          client: 'better-sqlite3',
          connection: { filename: target },
          useNullAsDefault: true,
        },
  );
  try {
    const result = await verifyAuditTable(db);
    out(JSON.stringify(result));
    return result.ok ? 0 : 1;
  } finally {
    await db.destroy();
  }
}
