import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { eventsResponseSchema } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import express from 'express';
import request from 'supertest';
import { component } from '../__testUtils__/demoBackend';
import objectsByEntity from '../events/__fixtures__/objects-by-entity.json';
import shopEvents from '../events/__fixtures__/events-shop.json';
import { kubecopilotPlugin } from '../plugin';

jest.setTimeout(30_000);

/**
 * Stands in for @backstage/plugin-kubernetes-backend: the entity's objects,
 * and its proxy's event lists (the edge cluster refuses the user, as RBAC
 * would). Records every call.
 */
function fakeKubernetesBackend(calls: string[]) {
  return createBackendPlugin({
    pluginId: 'kubernetes',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          const router = express.Router();
          router.use(express.json());
          router.post('/resources/workloads/query', (_req, res) => {
            calls.push('workloads');
            res.json(objectsByEntity);
          });
          router.get('/proxy/api/v1/namespaces/:ns/events', (req, res) => {
            const cluster = req.header('Backstage-Kubernetes-Cluster');
            calls.push(`events ${cluster} ${req.params.ns}`);
            if (cluster === 'prod') {
              res.json(shopEvents);
              return;
            }
            res.status(403).json({
              kind: 'Status',
              apiVersion: 'v1',
              status: 'Failure',
              message: `events is forbidden: User "alice" cannot list resource "events" in API group "" in the namespace "${req.params.ns}"`,
              reason: 'Forbidden',
              code: 403,
            });
          });
          httpRouter.use(router);
        },
      });
    },
  });
}

async function startBackend(
  features: Parameters<typeof startTestBackend>[0]['features'] = [],
) {
  const calls: string[] = [];
  const { server } = await startTestBackend({
    features: [
      kubecopilotPlugin,
      fakeKubernetesBackend(calls),
      catalogServiceMock.factory({ entities: [component('checkout')] }),
      ...features,
    ],
  });
  return { server, calls };
}

describe('GET /events', () => {
  it("answers the entity's events newest first, with the unreadable namespace named", async () => {
    const { server, calls } = await startBackend();
    const res = await request(server)
      .get('/api/kubecopilot/events')
      .query({ entityRef: 'component:default/checkout', type: 'Warning' });
    expect(res.status).toBe(200);
    expect(eventsResponseSchema.parse(res.body)).toEqual(res.body);
    expect(
      res.body.items.map(
        (e: any) =>
          `${e.object.kind} ${e.object.name} ${e.container ?? '-'} ${
            e.reason
          } ×${e.count}`,
      ),
    ).toEqual([
      'Pod checkout-7d4b9c6f5-x2x9k app BackOff ×12',
      'Pod checkout-7d4b9c6f5-x2x9k app Unhealthy ×7',
      'Pod checkout-7d4b9c6f5-x2x9k - FailedMount ×1',
    ]);
    expect(res.body.errors).toEqual([
      {
        cluster: 'edge',
        message: expect.stringMatching(
          /^events of namespace shop-edge could not be read: .*forbidden/i,
        ),
      },
    ]);
    expect(calls.sort()).toEqual([
      'events edge shop-edge',
      'events prod shop',
      'workloads',
    ]);
  });

  it('answers 403 without kubecopilot.diagnose, before the catalog or Kubernetes is asked', async () => {
    const { server, calls } = await startBackend([
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    const res = await request(server)
      .get('/api/kubecopilot/events')
      .query({ entityRef: 'component:default/nope' });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: 'Not allowed to read the events of component:default/nope',
    });
    expect(calls).toEqual([]);
  });

  it('answers 404 for an unknown entity without asking Kubernetes', async () => {
    const { server, calls } = await startBackend();
    const res = await request(server)
      .get('/api/kubecopilot/events')
      .query({ entityRef: 'component:default/nope' });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      "Entity 'component:default/nope' not found",
    );
    expect(calls).toEqual([]);
  });

  it('answers 400 for bad parameters', async () => {
    const { server, calls } = await startBackend();
    const res = await request(server)
      .get('/api/kubecopilot/events')
      .query({ entityRef: 'component:default/checkout', limit: '5000' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('limit must be at most 1000'),
    });
    expect(calls).toEqual([]);
  });

  it('requires a token', async () => {
    const { server, calls } = await startBackend([
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ]);
    const res = await request(server)
      .get('/api/kubecopilot/events')
      .query({ entityRef: 'component:default/checkout' });
    expect(res.status).toBe(401);
    expect(calls).toEqual([]);
  });
});
