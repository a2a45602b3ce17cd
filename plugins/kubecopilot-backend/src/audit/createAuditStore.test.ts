import { generateKeyPairSync } from 'node:crypto';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import { CheckpointSigner } from './checkpoint';
import {
  createAuditStore,
  readAuditCheckpointConfig,
} from './createAuditStore';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const pem = (type: 'ed25519' | 'rsa' = 'ed25519') => {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 1024 })
      : generateKeyPairSync('ed25519');
  return {
    privatePem: pair.privateKey
      .export({ type: 'pkcs8', format: 'pem' })
      .toString(),
    publicPem: pair.publicKey
      .export({ type: 'spki', format: 'pem' })
      .toString(),
  };
};

const inMemory = {
  backend: { database: { client: 'better-sqlite3', connection: ':memory:' } },
};

function read(data: Record<string, any>, nodeEnv: string) {
  const logger = mockServices.logger.mock();
  const config = readAuditCheckpointConfig(mockServices.rootConfig({ data }), {
    logger,
    nodeEnv,
  });
  return { config, logger };
}

describe('readAuditCheckpointConfig', () => {
  it('signs with the configured key and verifies with it and the retired ones', () => {
    const current = pem();
    const retired = pem();
    const { config, logger } = read(
      {
        kubecopilot: {
          audit: {
            signingKey: current.privatePem,
            publicKeys: [retired.publicPem],
            checkpoint: { frequency: { minutes: 2 } },
          },
        },
      },
      'production',
    );
    const signer = CheckpointSigner.fromPem(current.privatePem);
    expect(config.signer?.keyId).toBe(signer.keyId);
    expect(config.keyring?.keyIds()).toEqual([
      signer.keyId,
      expect.stringMatching(/^[0-9a-f]{16}$/),
    ]);
    expect(config.frequency).toEqual({ minutes: 2 });
    expect(config.ephemeral).toBe(false);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('verifies without signing when only public keys are configured', () => {
    const { config, logger } = read(
      { kubecopilot: { audit: { publicKeys: [pem().publicPem] } } },
      'production',
    );
    expect(config.signer).toBeUndefined();
    expect(config.keyring?.size).toBe(1);
    expect(config.frequency).toEqual({ minutes: 10 });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('kubecopilot.audit.signingKey is not set'),
    );
  });

  it('warns outside development when nothing signs', () => {
    const { config, logger } = read({}, 'production');
    expect(config).toMatchObject({ signer: undefined, keyring: undefined });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'can rewrite the audit chain and rehash it unseen',
      ),
    );
  });

  it('generates an ephemeral key in development, on an in-memory database only', () => {
    const dev = read(inMemory, 'development');
    expect(dev.config.ephemeral).toBe(true);
    expect(dev.config.keyring?.keyIds()).toEqual([dev.config.signer!.keyId]);
    expect(dev.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('ephemeral key'),
    );
    expect(dev.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('development only'),
    );
    // Two starts, two keys: nothing is persisted anywhere.
    expect(read(inMemory, 'development').config.signer!.keyId).not.toBe(
      dev.config.signer!.keyId,
    );

    const persistent = read(
      {
        backend: {
          database: { client: 'better-sqlite3', connection: '/tmp/x.sqlite' },
        },
      },
      'development',
    );
    expect(persistent.config.signer).toBeUndefined();
    expect(read(inMemory, 'production').config.signer).toBeUndefined();
    expect(read(inMemory, 'test').config.signer).toBeUndefined();
  });

  it('refuses a key that is not Ed25519', () => {
    expect(() =>
      read(
        { kubecopilot: { audit: { signingKey: pem('rsa').privatePem } } },
        'production',
      ),
    ).toThrow('must be an Ed25519 key');
  });
});

describe('createAuditStore', () => {
  it('schedules checkpoints once across replicas, and copies each to the log and the auditor', async () => {
    const knex = await databases.init('SQLITE_3');
    const scheduler = mockServices.scheduler.mock();
    const logger = mockServices.logger.mock();
    const success = jest.fn();
    const auditor = mockServices.auditor.mock({
      createEvent: jest.fn(async () => ({ success, fail: jest.fn() })),
    });
    const store = await createAuditStore({
      config: mockServices.rootConfig({
        data: {
          kubecopilot: {
            audit: {
              signingKey: pem().privatePem,
              checkpoint: { frequency: 'PT5M' },
            },
          },
        },
      }),
      database: mockServices.database({ knex }),
      logger,
      auditor,
      scheduler,
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    const task = scheduler.scheduleTask.mock
      .calls[0][0] as SchedulerServiceTaskInvocationDefinition & {
      frequency: unknown;
      scope?: string;
    };
    expect(task).toMatchObject({
      id: 'kubecopilot-audit-checkpoint',
      frequency: { minutes: 5 },
    });
    // The scheduler's default scope: one replica runs it at a time.
    expect(task.scope ?? 'global').toBe('global');

    await store.append({
      entityRef: 'component:default/checkout',
      actor: 'user:default/alice',
      action: 'plan.approved',
    });
    await task.fn(new AbortController().signal as any);
    const [row] = await knex('kubecopilot_audit_checkpoints').select();
    expect(row).toMatchObject({ reason: 'scheduled' });
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(
        `Audit checkpoint 1 signed: head 1 hash ${row.head_hash} count 1`,
      ),
      expect.anything(),
    );
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(`signature ${row.signature}`),
      expect.anything(),
    );
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'audit-checkpoint',
      severityLevel: 'low',
      meta: expect.objectContaining({
        seq: 1,
        headHash: row.head_hash,
        signature: row.signature,
      }),
    });
    expect(success).toHaveBeenCalledTimes(1);
    await expect(store.verify()).resolves.toMatchObject({
      ok: true,
      signed: true,
    });
  });

  it('schedules nothing without a key', async () => {
    const knex = await databases.init('SQLITE_3');
    const scheduler = mockServices.scheduler.mock();
    await createAuditStore({
      config: mockServices.rootConfig({ data: {} }),
      database: mockServices.database({ knex }),
      logger: mockServices.logger.mock(),
      auditor: mockServices.auditor.mock(),
      scheduler,
    });
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
  });
});
