import { generateKeyPairSync } from 'node:crypto';
import {
  AuditorService,
  DatabaseService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import {
  AuditCheckpoint,
  CheckpointKeyring,
  CheckpointSigner,
} from './checkpoint';
import { DatabaseAuditStore } from './DatabaseAuditStore';

export interface AuditCheckpointConfig {
  signer?: CheckpointSigner;
  keyring?: CheckpointKeyring;
  frequency: ReturnType<typeof readDurationFromConfig>;
  /** A key generated at start-up, lost with the process. */
  ephemeral: boolean;
}

/**
 * Reads `kubecopilot.audit`. The signing key's public half always verifies;
 * `publicKeys` adds retired keys (their checkpoints stay verifiable after a
 * rotation) or lets an instance verify without signing.
 *
 * Without a key, and only in development on an in-memory database, a key is
 * generated: it lives exactly as long as the data it signs, so the demo shows
 * signed checkpoints and a restart never leaves checkpoints nobody can verify.
 */
export function readAuditCheckpointConfig(
  config: RootConfigService,
  options: { logger: LoggerService; nodeEnv?: string },
): AuditCheckpointConfig {
  const { logger } = options;
  const nodeEnv = options.nodeEnv ?? process.env.NODE_ENV;
  const frequency = config.has('kubecopilot.audit.checkpoint.frequency')
    ? readDurationFromConfig(config, {
        key: 'kubecopilot.audit.checkpoint.frequency',
      })
    : { minutes: 10 };
  const publicKeys =
    config.getOptionalStringArray('kubecopilot.audit.publicKeys') ?? [];
  const pem = config.getOptionalString('kubecopilot.audit.signingKey');

  let signer: CheckpointSigner | undefined;
  let ephemeral = false;
  if (pem) {
    signer = CheckpointSigner.fromPem(pem);
  } else if (nodeEnv === 'development' && inMemoryDatabase(config)) {
    signer = CheckpointSigner.fromKeyObject(
      generateKeyPairSync('ed25519').privateKey,
    );
    ephemeral = true;
    logger.warn(
      `Audit checkpoints are signed with an ephemeral key (${signer.keyId}), development only: ` +
        'it is generated at start-up and lost with this in-memory database. ' +
        'Set kubecopilot.audit.signingKey for a database that outlives the process.',
    );
  } else if (nodeEnv !== 'development') {
    logger.warn(
      'kubecopilot.audit.signingKey is not set: audit checkpoints are not signed, ' +
        'so someone with write access to the database can rewrite the audit chain and rehash it unseen',
    );
  }

  const keys = CheckpointKeyring.fromPem(
    signer ? [signer.publicKeyPem(), ...publicKeys] : publicKeys,
  );
  return {
    signer,
    keyring: keys.size > 0 ? keys : undefined,
    frequency,
    ephemeral,
  };
}

function inMemoryDatabase(config: RootConfigService): boolean {
  const client = config.getOptionalString('backend.database.client');
  const connection = config.getOptional('backend.database.connection');
  return (
    (client === 'better-sqlite3' || client === 'sqlite3') &&
    connection === ':memory:'
  );
}

/**
 * The audit store with signed checkpoints: written on a schedule (once across
 * replicas) and after every cluster write, each one also logged and sent to
 * the auditor service so a copy lives outside the database.
 */
export async function createAuditStore(options: {
  config: RootConfigService;
  database: DatabaseService;
  logger: LoggerService;
  auditor: AuditorService;
  scheduler: SchedulerService;
  skipMigrations?: boolean;
}): Promise<DatabaseAuditStore> {
  const { config, logger, auditor, scheduler } = options;
  const checkpoints = readAuditCheckpointConfig(config, { logger });
  const store = await DatabaseAuditStore.create({
    database: options.database,
    skipMigrations: options.skipMigrations,
    checkpoints: {
      signer: checkpoints.signer,
      keyring: checkpoints.keyring,
      logger,
      publish: checkpoint => publishCheckpoint(checkpoint, { logger, auditor }),
    },
  });
  if (checkpoints.signer) {
    await scheduler.scheduleTask({
      id: 'kubecopilot-audit-checkpoint',
      frequency: checkpoints.frequency,
      timeout: { minutes: 5 },
      initialDelay: { seconds: 10 },
      fn: async () => {
        await store.checkpoint('scheduled');
      },
    });
  }
  return store;
}

/** The copy outside the database: one log line and one auditor event. */
export async function publishCheckpoint(
  checkpoint: AuditCheckpoint,
  { logger, auditor }: { logger: LoggerService; auditor: AuditorService },
): Promise<void> {
  logger.info(
    `Audit checkpoint ${checkpoint.seq} signed: head ${checkpoint.headId} ` +
      `hash ${checkpoint.headHash} count ${checkpoint.count} at ${checkpoint.signedAt} ` +
      `key ${checkpoint.keyId} signature ${checkpoint.signature}`,
    {
      auditCheckpointSeq: checkpoint.seq,
      auditHeadId: checkpoint.headId,
      auditHeadHash: checkpoint.headHash,
    },
  );
  const event = await auditor.createEvent({
    eventId: 'audit-checkpoint',
    severityLevel: 'low',
    meta: { ...checkpoint },
  });
  await event.success();
}
