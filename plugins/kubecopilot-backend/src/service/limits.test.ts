/**
 * `kubecopilot.limits` through the whole plugin: body caps (413), intent and
 * question caps (400) and the per-user rate limit (429 + Retry-After), as a
 * client sees them.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import { MAX_INTENT_LENGTH } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import express from 'express';
import request from 'supertest';
import { kubecopilotPlugin } from '../plugin';
import twoClusters from '../workloads/__fixtures__/two-clusters.json';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'checkout' },
  },
  spec: { type: 'service', owner: 'group:default/shop', lifecycle: 'production' },
};

/** Stands in for @backstage/plugin-kubernetes-backend's workloads query. */
const fakeKubernetesBackend = createBackendPlugin({
  pluginId: 'kubernetes',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = express.Router();
        router.use(express.json());
        router.post('/resources/workloads/query', (_req, res) => {
          res.json(twoClusters as ObjectsByEntityResponse);
        });
        httpRouter.use(router);
      },
    });
  },
});

async function startBackend(limits?: Record<string, any>) {
  const knex = await databases.init('SQLITE_3');
  const { server } = await startTestBackend({
    features: [
      kubecopilotPlugin,
      fakeKubernetesBackend,
      catalogServiceMock.factory({ entities: [checkout] }),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: limits ? { kubecopilot: { limits } } : {},
      }),
    ],
  });
  return server;
}

const ENTITY = 'component:default/checkout';

describe('kubecopilot.limits over HTTP', () => {
  describe('request bodies', () => {
    let server: Awaited<ReturnType<typeof startBackend>>;
    beforeAll(async () => {
      server = await startBackend();
    });

    it.each(['/plans', '/diagnoses', '/query'])(
      'POST %s answers 413 for a 65 kB body (default cap 64 kB)',
      async path => {
        const res = await request(server)
          .post(`/api/kubecopilot${path}`)
          .send({ entityRef: ENTITY, padding: 'x'.repeat(65 * 1024) });
        expect(res.status).toBe(413);
        expect(res.body.error).toMatchObject({
          name: 'PayloadTooLargeError',
          message: 'request entity too large',
        });
      },
    );

    it('POST /diagnoses keeps its own 8 kB cap in the whole plugin, where a 9 kB body still fits /plans', async () => {
      const body = { entityRef: ENTITY, padding: 'x'.repeat(9 * 1024) };
      const diagnosis = await request(server)
        .post('/api/kubecopilot/diagnoses')
        .send(body);
      expect(diagnosis.status).toBe(413);
      expect(diagnosis.body.error).toMatchObject({
        name: 'PayloadTooLargeError',
      });
      const plan = await request(server).post('/api/kubecopilot/plans').send(body);
      expect(plan.status).toBe(400);
      const small = await request(server)
        .post('/api/kubecopilot/diagnoses')
        .send({ entityRef: ENTITY, padding: 'x'.repeat(100) });
      expect(small.status).toBe(400);
    });

    it(`POST /plans answers 400 for an intent of ${MAX_INTENT_LENGTH + 1} characters`, async () => {
      const long = await request(server)
        .post('/api/kubecopilot/plans')
        .send({ entityRef: ENTITY, intent: `restart ${'x'.repeat(MAX_INTENT_LENGTH - 7)}` });
      expect(long.status).toBe(400);
      expect(long.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          `intent must be at most ${MAX_INTENT_LENGTH} characters`,
        ),
      });
      // One character less passes the length check (and fails later, on
      // the name it does not know).
      const fits = await request(server)
        .post('/api/kubecopilot/plans')
        .send({ entityRef: ENTITY, intent: `restart ${'x'.repeat(MAX_INTENT_LENGTH - 8)}` });
      expect(fits.body.error?.message).not.toMatch(/at most/);
    });

    it(`POST /query answers 400 for a question of ${MAX_INTENT_LENGTH + 1} characters`, async () => {
      const long = await request(server)
        .post('/api/kubecopilot/query')
        .send({ entityRef: ENTITY, question: 'p'.repeat(MAX_INTENT_LENGTH + 1) });
      expect(long.status).toBe(400);
      expect(long.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          `question must be at most ${MAX_INTENT_LENGTH} characters`,
        ),
      });
      const fits = await request(server)
        .post('/api/kubecopilot/query')
        .send({ entityRef: ENTITY, question: 'p'.repeat(MAX_INTENT_LENGTH) });
      expect(fits.status).toBe(400);
      expect(fits.body.error.message).toMatch(/^KubeCopilot did not understand/);
    });
  });

  it('kubecopilot.limits.maxBodyBytes sets the body cap', async () => {
    const server = await startBackend({ maxBodyBytes: 1024 });
    const res = await request(server)
      .post('/api/kubecopilot/query')
      .send({ entityRef: ENTITY, question: 'q'.repeat(2000) });
    expect(res.status).toBe(413);
  });

  it('POST /query answers 429 with Retry-After after the configured limit, per user', async () => {
    const server = await startBackend({
      rateLimit: { query: { limit: 2, windowSeconds: 60 } },
    });
    const ask = (user = 'user:default/alice') =>
      request(server)
        .post('/api/kubecopilot/query')
        .set('authorization', mockCredentials.user.header(user))
        .send({ entityRef: ENTITY, question: 'restart checkout' });

    const first = await ask();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ type: 'intent', action: 'restart' });
    expect(first.headers['ratelimit-limit']).toBe('2');
    expect(first.headers['ratelimit-remaining']).toBe('1');
    expect((await ask()).status).toBe(200);

    const refused = await ask();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.body).toMatchObject({
      error: {
        name: 'TooManyRequestsError',
        message: expect.stringMatching(
          /^Too many query requests: at most 2 per 60 s for user:default\/alice; retry after \d+ s$/,
        ),
      },
      response: { statusCode: 429 },
    });

    // Someone else has their own budget; other routes are not counted.
    expect((await ask('user:default/bob')).status).toBe(200);
    const plans = await request(server)
      .get('/api/kubecopilot/plans')
      .set('authorization', mockCredentials.user.header('user:default/alice'));
    expect(plans.status).toBe(200);
  });

  it('kubecopilot.limits.rateLimit.enabled: false turns the limits off', async () => {
    const server = await startBackend({
      rateLimit: { enabled: false, query: { limit: 1, windowSeconds: 60 } },
    });
    for (let i = 0; i < 3; i++) {
      const res = await request(server)
        .post('/api/kubecopilot/query')
        .send({ entityRef: ENTITY, question: 'restart checkout' });
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
  });

  it('refuses to start with an invalid limit, naming the key', async () => {
    await expect(
      startBackend({ rateLimit: { plans: { limit: 0 } } }),
    ).rejects.toThrow(
      /kubecopilot\.limits\.rateLimit\.plans\.limit must be a whole number between 1 and 1000000; got 0/,
    );
  });
});
