/**
 * `GET /audit/verify` through the real plugin and router, on a database an
 * attacker edits directly.
 */
import { generateKeyPairSync } from 'node:crypto';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { auditVerificationSchema } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import request from 'supertest';
import { rewriteAndRehash } from '../__testUtils__/auditTamper';
import { kubecopilotPlugin } from '../plugin';
import { CheckpointSigner } from './checkpoint';
import { DatabaseAuditStore } from './DatabaseAuditStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const signingKey = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

async function start(config: Record<string, any>) {
  const knex = await databases.init('SQLITE_3');
  const { server } = await startTestBackend({
    features: [
      kubecopilotPlugin,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  return { server, knex };
}

const history = ['plan.created', 'plan.approved', 'plan.executed'];

describe('GET /audit/verify', () => {
  it('reports the chain and its signed checkpoints, and a chain rewritten and rehashed in the database', async () => {
    const { server, knex } = await start({
      kubecopilot: { audit: { signingKey } },
    });
    // Another replica with the same key writes the history; its
    // `plan.executed` entry is signed in the same transaction.
    const replica = await DatabaseAuditStore.create({
      database: mockServices.database({ knex }),
      skipMigrations: true,
      checkpoints: { signer: CheckpointSigner.fromPem(signingKey) },
    });
    const ids: number[] = [];
    for (const action of history) {
      const entry = await replica.append({
        planId: 'p1',
        entityRef: 'component:default/checkout',
        actor: 'user:default/alice',
        action,
      });
      ids.push(entry.id);
    }

    const before = await request(server).get('/api/kubecopilot/audit/verify');
    expect(before.status).toBe(200);
    expect(auditVerificationSchema.parse(before.body)).toEqual(before.body);
    expect(before.body).toMatchObject({
      ok: true,
      checked: 3,
      signed: true,
      checkpoints: {
        configured: true,
        checked: 1,
        lastSeq: 1,
        lastHeadId: ids[2],
        entriesAfterLastCheckpoint: 0,
      },
    });

    await rewriteAndRehash(knex, ids[1], { actor: 'user:default/mallory' });
    const after = await request(server).get('/api/kubecopilot/audit/verify');
    expect(after.status).toBe(200);
    expect(auditVerificationSchema.parse(after.body)).toEqual(after.body);
    expect(after.body).toMatchObject({
      ok: false,
      checked: 3,
      signed: false,
      reason: expect.stringContaining(
        'was changed, inserted or deleted and the chain rehashed',
      ),
      checkpoints: { configured: true, checked: 0, firstBrokenCheckpointId: 1 },
    });
    expect(after.body.firstBrokenId).toBeUndefined();
  });

  it('says checkpoints are not configured without a key', async () => {
    const { server, knex } = await start({});
    const store = await DatabaseAuditStore.create({
      database: mockServices.database({ knex }),
      skipMigrations: true,
    });
    await store.append({
      entityRef: 'component:default/checkout',
      actor: 'user:default/alice',
      action: 'plan.executed',
    });
    const res = await request(server).get('/api/kubecopilot/audit/verify');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ok: true,
      checked: 1,
      signed: false,
      checkpoints: { configured: false, checked: 0 },
    });
    expect(await knex('kubecopilot_audit_checkpoints').select()).toEqual([]);
  });
});
