import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import { eventsResponseSchema } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { makePlan } from '../__testUtils__/plans';
import type { KubernetesBackendClient } from '../kubernetes/types';
import type { PlanReader } from '../plans/types';
import objectsByEntity from './__fixtures__/objects-by-entity.json';
import shopEvents from './__fixtures__/events-shop.json';
import { AuthorizedEventsService } from './AuthorizedEventsService';
import { KubernetesEventsService } from './KubernetesEventsService';

const credentials = mockCredentials.user();
const CHECKOUT = { kind: 'component', namespace: 'default', name: 'checkout' };

const catalog = catalogServiceMock({
  entities: [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'checkout', namespace: 'default' },
      spec: { type: 'service', owner: 'team-shop', lifecycle: 'production' },
    },
  ],
});

function kubernetes() {
  return {
    getObjectsByEntity: jest.fn(
      async () => objectsByEntity as unknown as ObjectsByEntityResponse,
    ),
    read: jest.fn(async ({ cluster, path }: any) => {
      if (cluster === 'prod') return shopEvents;
      throw new ServiceUnavailableError(`${cluster} ${path}: timed out`);
    }),
  } as unknown as KubernetesBackendClient & {
    getObjectsByEntity: jest.Mock;
  };
}

const executed = {
  ...makePlan({ id: 'p-restart', status: 'executed', cluster: 'prod' }),
  action: 'restart' as const,
};
executed.audit = {
  ...executed.audit,
  executedBy: 'user:default/alice',
  timestamps: {
    ...executed.audit.timestamps,
    executedAt: '2026-01-15T11:45:00.000Z',
  },
};
const reverted = makePlan({
  id: 'p-scale',
  status: 'reverted',
  cluster: 'prod',
});
reverted.audit = {
  ...reverted.audit,
  executedBy: 'user:default/bob',
  timestamps: {
    ...reverted.audit.timestamps,
    executedAt: '2026-01-15T11:10:00.000Z',
    revertedAt: '2026-01-15T11:50:00.000Z',
  },
};
reverted.risk = { ...reverted.risk, level: 'high' };
reverted.revert = {
  by: 'user:default/carol',
  startedAt: '2026-01-15T11:50:00.000Z',
};

const plans: PlanReader = {
  getPlan: jest.fn(),
  listPlans: jest.fn(async query => ({
    items: [executed, reverted].filter(p => p.status === query.status),
  })),
};

const service = (withPlans: PlanReader | null = plans) =>
  new KubernetesEventsService({
    catalog,
    kubernetes: kubernetes(),
    plans: withPlans ?? undefined,
  });

describe('KubernetesEventsService', () => {
  it('answers newest first, with the plans executed and reverted as markers and the unread namespace as an error', async () => {
    const res = await service().getEvents(
      { entityRef: CHECKOUT, limit: 200 },
      { credentials },
    );
    expect(eventsResponseSchema.parse(res)).toEqual(res);
    expect(res.entityRef).toBe('component:default/checkout');
    expect(res.items.map(e => `${e.lastTime} ${e.reason}`)).toEqual([
      '2026-01-15T11:59:36.000Z BackOff',
      '2026-01-15T11:58:10.000Z Unhealthy',
      '2026-01-15T11:41:00.000Z FailedMount',
      '2026-01-15T11:22:01.000Z SuccessfulCreate',
      '2026-01-15T11:22:00.000Z ScalingReplicaSet',
    ]);
    expect(res.truncated).toBe(false);
    expect(
      res.markers.map(m => `${m.at} ${m.what} ${m.action} ${m.by} ${m.risk}`),
    ).toEqual([
      '2026-01-15T11:50:00.000Z reverted scale user:default/carol high',
      '2026-01-15T11:45:00.000Z executed restart user:default/alice low',
      '2026-01-15T11:10:00.000Z executed scale user:default/bob high',
    ]);
    expect(plans.listPlans).toHaveBeenCalledWith(
      {
        entityRef: 'component:default/checkout',
        status: 'executed',
        limit: 100,
      },
      { credentials },
    );
    expect(res.errors).toEqual([
      {
        cluster: 'edge',
        message:
          'events of namespace shop-edge could not be read: edge /api/v1/namespaces/shop-edge/events: timed out',
      },
    ]);
  });

  it('filters by type and since, and bounds the answer by limit', async () => {
    const warnings = await service().getEvents(
      {
        entityRef: CHECKOUT,
        type: 'Warning',
        since: new Date('2026-01-15T11:45:00Z'),
        limit: 1,
      },
      { credentials },
    );
    expect(warnings.items.map(e => e.reason)).toEqual(['BackOff']);
    expect(warnings.truncated).toBe(true);
    // The newest plan mark since 11:45 (the revert at 11:50), within the limit.
    expect(warnings.markers.map(m => m.planId)).toEqual(['p-scale']);

    const normal = await service(null).getEvents(
      { entityRef: CHECKOUT, type: 'Normal', limit: 200 },
      { credentials },
    );
    expect(normal.items.map(e => e.reason)).toEqual([
      'SuccessfulCreate',
      'ScalingReplicaSet',
    ]);
    expect(normal.markers).toEqual([]);
  });

  it('keeps the events when the plans cannot be read, saying so', async () => {
    const failing: PlanReader = {
      getPlan: jest.fn(),
      listPlans: jest.fn().mockRejectedValue(new Error('database is down')),
    };
    const res = await service(failing).getEvents(
      { entityRef: CHECKOUT, limit: 200 },
      { credentials },
    );
    expect(res.items).toHaveLength(5);
    expect(res.errors).toContainEqual({
      cluster: '',
      message: 'plans: database is down',
    });
  });

  it('answers 404 for an unknown entity without reading the cluster', async () => {
    const k8s = kubernetes();
    await expect(
      new KubernetesEventsService({ catalog, kubernetes: k8s }).getEvents(
        {
          entityRef: { ...CHECKOUT, name: 'nope' },
          limit: 200,
        },
        { credentials },
      ),
    ).rejects.toThrow("Entity 'component:default/nope' not found");
    expect(k8s.getObjectsByEntity).not.toHaveBeenCalled();
  });
});

describe('AuthorizedEventsService', () => {
  it('requires kubecopilot.diagnose before anything is read', async () => {
    const inner = { getEvents: jest.fn() };
    const denied = new AuthorizedEventsService(
      inner,
      mockServices.permissions({ result: AuthorizeResult.DENY }),
    );
    await expect(
      denied.getEvents({ entityRef: CHECKOUT, limit: 200 }, { credentials }),
    ).rejects.toThrow(NotAllowedError);
    expect(inner.getEvents).not.toHaveBeenCalled();
  });
});
