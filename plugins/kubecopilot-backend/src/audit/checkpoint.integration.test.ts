/**
 * A plan executed for real (this plugin, the real Kubernetes backend, the
 * demo cluster) leaves its audit entry signed by the time the request
 * answers; rewriting who executed it afterwards is caught.
 */
import { generateKeyPairSync } from 'node:crypto';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { DemoCluster, startDemoCluster } from '@kubecopilot/demo-cluster';
import request from 'supertest';
import { rewriteAndRehash } from '../__testUtils__/auditTamper';
import {
  backendConfig,
  CHECKOUT,
  component,
  shopScenarios,
} from '../__testUtils__/demoBackend';
import { kubecopilotPlugin } from '../plugin';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');

describe('audit checkpoints of executed plans', () => {
  let cluster: DemoCluster;

  beforeAll(async () => {
    await import('@kubernetes/client-node');
    cluster = await startDemoCluster({
      port: 0,
      podStartupMs: 50,
      scenarios: shopScenarios(),
    });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('signs the head in the execution transaction, and catches a rewritten executor', async () => {
    const knex = await databases.init('SQLITE_3');
    const signingKey = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const { server } = await startTestBackend({
      features: [
        kubecopilotPlugin,
        kubernetesPlugin,
        catalogServiceMock.factory({ entities: [component('checkout')] }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: backendConfig(cluster, {
            kubecopilot: { audit: { signingKey } },
          }),
        }),
      ],
    });

    const created = await request(server)
      .post('/api/kubecopilot/plans')
      .set('authorization', alice)
      .send({ entityRef: CHECKOUT, intent: 'scale checkout to 3' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const approve = await request(server)
      .post(`/api/kubecopilot/plans/${id}/approve`)
      .set('authorization', bob)
      .send({});
    expect(approve.body.status).toBe('confirmed');
    const executed = await request(server)
      .post(`/api/kubecopilot/plans/${id}/execute`)
      .set('authorization', bob)
      .send({});
    expect(executed.body).toMatchObject({ status: 'executed' });

    const entry = await knex('kubecopilot_audit')
      .where({ plan_id: id, action: 'plan.executed' })
      .first();
    const checkpoints = await knex('kubecopilot_audit_checkpoints').select();
    expect(checkpoints).toEqual([
      expect.objectContaining({
        reason: 'plan.executed',
        head_hash: entry.hash,
      }),
    ]);
    expect(Number(checkpoints[0].head_id)).toBe(Number(entry.id));

    const verify = () =>
      request(server)
        .get('/api/kubecopilot/audit/verify')
        .set('authorization', alice);
    expect((await verify()).body).toMatchObject({
      ok: true,
      signed: true,
      checkpoints: { checked: 1, entriesAfterLastCheckpoint: 0 },
    });

    await rewriteAndRehash(knex, Number(entry.id), {
      actor: 'user:default/alice',
    });
    expect((await verify()).body).toMatchObject({
      ok: false,
      signed: false,
      checkpoints: { firstBrokenCheckpointId: 1 },
    });
  });
});
