import { mockCredentials } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import type { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import objectsByEntity from '../events/__fixtures__/objects-by-entity.json';
import shopEvents from '../events/__fixtures__/events-shop.json';
import type { KubernetesBackendClient } from '../kubernetes/types';
import { PostmortemSources } from './PostmortemSources';

const credentials = mockCredentials.user();

function sources(kubernetes: Partial<KubernetesBackendClient>) {
  return new PostmortemSources({
    kubernetes: kubernetes as KubernetesBackendClient,
    findings: { list: async () => [] } as any,
    alerts: { list: async () => [] } as any,
    diagnoses: { listDiagnoses: async () => [] } as any,
    audit: {
      list: async () => ({ items: [] }),
      verify: async () => ({ ok: true, checked: 0 }),
    } as any,
    plans: { getPlan: jest.fn(), listPlans: jest.fn() },
  });
}

describe('PostmortemSources', () => {
  const from = new Date('2026-01-15T11:00:00Z');
  const to = new Date('2026-01-15T12:00:00Z');

  it("reads the entity's events through the shared reader: both timestamp styles, an unread namespace as a gap", async () => {
    const input = await sources({
      getObjectsByEntity: async () =>
        objectsByEntity as unknown as ObjectsByEntityResponse,
      read: (async ({ cluster, path }: { cluster: string; path: string }) => {
        if (cluster === 'prod') return shopEvents;
        throw new ServiceUnavailableError(`${cluster} ${path}: timed out`);
      }) as KubernetesBackendClient['read'],
    }).gather('component:default/checkout', from, to, credentials);

    expect(
      input.events
        .map(e => `${e.at} ${e.type} ${e.reason} ${e.object} ×${e.count}`)
        .sort(),
    ).toEqual([
      '2026-01-15T11:22:00.000Z Normal ScalingReplicaSet Deployment shop/checkout ×1',
      '2026-01-15T11:22:01.000Z Normal SuccessfulCreate ReplicaSet shop/checkout-7d4b9c6f5 ×1',
      '2026-01-15T11:41:00.000Z Warning FailedMount Pod shop/checkout-7d4b9c6f5-x2x9k ×1',
      '2026-01-15T11:58:10.000Z Warning Unhealthy Pod shop/checkout-7d4b9c6f5-x2x9k ×7',
      '2026-01-15T11:59:36.000Z Warning BackOff Pod shop/checkout-7d4b9c6f5-x2x9k ×12',
    ]);
    expect(input.events.find(e => e.reason === 'BackOff')).toMatchObject({
      uid: 'e1a0c2f4-0003-4b8e-9c1d-2a3b4c5d6e03',
      cluster: 'prod',
    });
    expect(input.errors).toEqual([
      "cluster 'edge': events of namespace shop-edge could not be read: edge /api/v1/namespaces/shop-edge/events: timed out",
    ]);
  });

  it('drafts without events when the entity’s objects cannot be read, saying so', async () => {
    const input = await sources({
      getObjectsByEntity: async () => {
        throw new ServiceUnavailableError('Kubernetes backend is down');
      },
      read: jest.fn(),
    }).gather('component:default/checkout', from, to, credentials);
    expect(input.events).toEqual([]);
    expect(input.errors).toEqual([
      'Kubernetes objects: Kubernetes backend is down',
    ]);
  });
});
