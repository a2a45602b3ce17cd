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
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import {
  planListResponseSchema,
  workloadsResponseSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import express from 'express';
import request from 'supertest';
import { makePlan } from '../__testUtils__/plans';
import { kubecopilotPlanConditions } from '../permissions/conditions';
import { DatabasePlanStore } from '../plans/DatabasePlanStore';
import { kubecopilotPlugin } from '../plugin';
import twoClusters from '../workloads/__fixtures__/two-clusters.json';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'checkout' },
  },
  spec: {
    type: 'service',
    owner: 'group:default/shop',
    lifecycle: 'production',
  },
};

/**
 * Stands in for @backstage/plugin-kubernetes-backend: answers the workloads
 * query with a fixture and records who asked, so the test sees what the real
 * one would receive.
 */
function fakeKubernetesBackend(options: {
  answer: (req: express.Request, res: express.Response) => void;
  calls: Array<{ body: unknown; principal: unknown }>;
}) {
  return createBackendPlugin({
    pluginId: 'kubernetes',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          const router = express.Router();
          router.use(express.json());
          router.post('/resources/workloads/query', async (req, res) => {
            const credentials = await httpAuth.credentials(req);
            options.calls.push({
              body: req.body,
              principal: credentials.principal,
            });
            options.answer(req, res);
          });
          httpRouter.use(router);
        },
      });
    },
  });
}

async function startBackend(
  options: {
    features?: Parameters<typeof startTestBackend>[0]['features'];
    answer?: (req: express.Request, res: express.Response) => void;
  } = {},
) {
  const calls: Array<{ body: unknown; principal: unknown }> = [];
  const knex = await databases.init('SQLITE_3');
  const { server } = await startTestBackend({
    features: [
      kubecopilotPlugin,
      fakeKubernetesBackend({
        calls,
        answer:
          options.answer ??
          ((_req, res) => res.json(twoClusters as ObjectsByEntityResponse)),
      }),
      catalogServiceMock.factory({ entities: [checkout] }),
      mockServices.database.factory({ knex }),
      ...(options.features ?? []),
    ],
  });
  const store = await DatabasePlanStore.create({
    database: mockServices.database({ knex }),
  });
  return { server, calls, store };
}

describe('router', () => {
  jest.setTimeout(30_000);

  describe('GET /health', () => {
    it('answers without a token', async () => {
      const { server } = await startBackend({
        features: [
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ],
      });
      const res = await request(server).get('/api/kubecopilot/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });
  });

  describe('GET /workloads', () => {
    it("returns the entity's workloads, read on behalf of the user", async () => {
      const { server, calls } = await startBackend();
      const res = await request(server).get(
        '/api/kubecopilot/workloads?entityRef=component:default/checkout',
      );
      expect(res.status).toBe(200);
      expect(workloadsResponseSchema.parse(res.body)).toEqual(res.body);
      expect(res.body.entityRef).toBe('component:default/checkout');
      expect(res.body.clusters).toEqual(['east', 'west']);
      expect(
        res.body.workloads.map(
          (w: { cluster: string; kind: string; name: string }) =>
            `${w.cluster}/${w.kind}/${w.name}`,
        ),
      ).toEqual([
        'east/Deployment/checkout',
        'east/StatefulSet/checkout-db',
        'west/Deployment/checkout',
      ]);
      expect(res.body.errors).toEqual([]);
      expect(calls).toEqual([
        {
          body: { entityRef: 'component:default/checkout', auth: {} },
          principal: expect.objectContaining({
            type: 'user',
            userEntityRef: mockCredentials.user().principal.userEntityRef,
          }),
        },
      ]);
    });

    it('requires a token', async () => {
      const { server, calls } = await startBackend({
        features: [
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ],
      });
      const res = await request(server).get(
        '/api/kubecopilot/workloads?entityRef=component:default/checkout',
      );
      expect(res.status).toBe(401);
      expect(calls).toEqual([]);
    });

    it('rejects a malformed entity ref', async () => {
      const { server } = await startBackend();
      const res = await request(server).get(
        '/api/kubecopilot/workloads?entityRef=checkout',
      );
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringContaining("Invalid entityRef 'checkout'"),
      });
    });

    it('rejects a request without an entity ref', async () => {
      const { server } = await startBackend();
      const res = await request(server).get('/api/kubecopilot/workloads');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/entityRef is required/);
    });

    it('answers 404 for an unknown entity, without asking Kubernetes', async () => {
      const { server, calls } = await startBackend();
      const res = await request(server).get(
        '/api/kubecopilot/workloads?entityRef=component:default/nope',
      );
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({
        name: 'NotFoundError',
        message: "Entity 'component:default/nope' not found",
      });
      expect(calls).toEqual([]);
    });

    it('answers 403 without kubecopilot.diagnose', async () => {
      const { server, calls } = await startBackend({
        features: [
          mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        ],
      });
      const res = await request(server).get(
        '/api/kubecopilot/workloads?entityRef=component:default/checkout',
      );
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(calls).toEqual([]);
    });

    it('answers 503 naming the failure when the Kubernetes backend fails', async () => {
      const { server } = await startBackend({
        answer: (_req, res) =>
          res.status(500).json({ error: { name: 'Error', message: 'boom' } }),
      });
      const res = await request(server).get(
        '/api/kubecopilot/workloads?entityRef=component:default/checkout',
      );
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(
        /Kubernetes backend failed the workloads query for component:default\/checkout \(HTTP 500\): boom/,
      );
    });
  });

  describe('GET /plans', () => {
    async function seeded(
      features: Parameters<typeof startTestBackend>[0]['features'] = [],
    ) {
      const backend = await startBackend({ features });
      await backend.store.createPlan(
        makePlan({
          id: 'old',
          createdAt: '2026-11-26T01:00:00.000Z',
          risk: 'low',
        }),
      );
      await backend.store.createPlan(
        makePlan({
          id: 'done',
          createdAt: '2026-11-26T02:00:00.000Z',
          status: 'executed',
          risk: 'low',
        }),
      );
      await backend.store.createPlan(
        makePlan({
          id: 'new',
          createdAt: '2026-11-26T03:00:00.000Z',
          risk: 'high',
        }),
      );
      return backend;
    }

    it('lists plans newest first, a page at a time', async () => {
      const { server } = await seeded();
      const first = await request(server).get('/api/kubecopilot/plans?limit=2');
      expect(first.status).toBe(200);
      expect(planListResponseSchema.parse(first.body)).toEqual(first.body);
      expect(first.body.items.map((p: { id: string }) => p.id)).toEqual([
        'new',
        'done',
      ]);
      expect(first.body.nextCursor).toEqual(expect.any(String));

      const second = await request(server).get(
        `/api/kubecopilot/plans?limit=2&cursor=${first.body.nextCursor}`,
      );
      expect(second.status).toBe(200);
      expect(second.body.items.map((p: { id: string }) => p.id)).toEqual([
        'old',
      ]);
      expect(second.body.nextCursor).toBeUndefined();
    });

    it('filters by status and entity', async () => {
      const { server } = await seeded();
      const pending = await request(server).get(
        '/api/kubecopilot/plans?status=pending&entityRef=component:default/checkout',
      );
      expect(pending.body.items.map((p: { id: string }) => p.id)).toEqual([
        'new',
        'old',
      ]);
      const other = await request(server).get(
        '/api/kubecopilot/plans?entityRef=component:default/cart',
      );
      expect(other.body).toEqual({ items: [] });
    });

    it('rejects a bad filter or cursor', async () => {
      const { server } = await seeded();
      expect(
        (await request(server).get('/api/kubecopilot/plans?status=approved'))
          .status,
      ).toBe(400);
      expect(
        (await request(server).get('/api/kubecopilot/plans?cursor=garbage'))
          .status,
      ).toBe(400);
    });

    it('shows only the plans a conditional decision allows', async () => {
      const permissions = mockServices.permissions.mock({
        authorizeConditional: async requests =>
          requests.map(() => ({
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'kubecopilot',
            resourceType: 'kubecopilot-plan',
            conditions: kubecopilotPlanConditions.isRiskLevel({
              levels: ['low'],
            }),
          })),
      });
      const { server } = await seeded([permissions.factory]);
      const list = await request(server).get('/api/kubecopilot/plans');
      expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([
        'done',
        'old',
      ]);
      expect(
        (await request(server).get('/api/kubecopilot/plans/old')).status,
      ).toBe(200);
      const denied = await request(server).get('/api/kubecopilot/plans/new');
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe("Not allowed to read plan 'new'");
    });

    it('lists nothing when reading plans is denied', async () => {
      const { server } = await seeded([
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ]);
      const list = await request(server).get('/api/kubecopilot/plans');
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ items: [] });
    });
  });

  describe('GET /plans/:id', () => {
    it('returns one plan whole', async () => {
      const { server, store } = await startBackend();
      const plan = makePlan({ id: 'p1' });
      await store.createPlan(plan);
      const res = await request(server).get('/api/kubecopilot/plans/p1');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(plan);
    });

    it('answers 404 for an unknown plan', async () => {
      const { server } = await startBackend();
      const res = await request(server).get('/api/kubecopilot/plans/nope');
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe("Plan 'nope' not found");
    });

    it('answers 403 when reading plans is denied', async () => {
      const { server, store } = await startBackend({
        features: [
          mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        ],
      });
      await store.createPlan(makePlan({ id: 'p1' }));
      const res = await request(server).get('/api/kubecopilot/plans/p1');
      expect(res.status).toBe(403);
    });

    it('requires a token', async () => {
      const { server } = await startBackend({
        features: [
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ],
      });
      expect(
        (await request(server).get('/api/kubecopilot/plans/p1')).status,
      ).toBe(401);
      expect((await request(server).get('/api/kubecopilot/plans')).status).toBe(
        401,
      );
    });
  });
});
