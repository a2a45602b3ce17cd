import { mockCredentials } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import type { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import type { KubernetesBackendClient } from '../kubernetes/types';
import objectsByEntity from './__fixtures__/objects-by-entity.json';
import shopEvents from './__fixtures__/events-shop.json';
import { readEntityEvents } from './readEntityEvents';

const credentials = mockCredentials.user();

/** The Kubernetes backend as the reader sees it: the entity's objects, and each cluster's event lists. */
function fakeKubernetes() {
  const getObjectsByEntity = jest.fn(
    async () => objectsByEntity as unknown as ObjectsByEntityResponse,
  );
  const read = jest.fn(
    async ({ cluster, path }: { cluster: string; path: string }) => {
      if (cluster === 'prod' && path === '/api/v1/namespaces/shop/events') {
        return shopEvents;
      }
      throw new ServiceUnavailableError(
        `Kubernetes cluster '${cluster}' failed GET ${path} (HTTP 503)`,
      );
    },
  );
  return {
    client: { getObjectsByEntity, read } as unknown as KubernetesBackendClient,
    getObjectsByEntity,
    read,
  };
}

describe('readEntityEvents', () => {
  it("reads each namespace's events once and keeps those of the entity's objects, both timestamp styles normalized", async () => {
    const k8s = fakeKubernetes();
    const result = await readEntityEvents(
      k8s.client,
      'component:default/checkout',
      credentials,
    );

    expect(k8s.getObjectsByEntity).toHaveBeenCalledWith(
      'component:default/checkout',
      { credentials },
    );
    expect(
      k8s.read.mock.calls.map(([r]) => `${r.cluster} ${r.path}`).sort(),
    ).toEqual([
      'edge /api/v1/namespaces/shop-edge/events',
      'prod /api/v1/namespaces/shop/events',
    ]);
    const byReason = Object.fromEntries(result.events.map(e => [e.reason, e]));
    // Not the entity's: another app's pod, and the Service's Endpoints.
    expect(Object.keys(byReason).sort()).toEqual([
      'BackOff',
      'FailedMount',
      'ScalingReplicaSet',
      'SuccessfulCreate',
      'Unhealthy',
    ]);
    // core/v1: firstTimestamp, lastTimestamp, count; the container from fieldPath.
    expect(byReason.BackOff).toEqual({
      uid: 'e1a0c2f4-0003-4b8e-9c1d-2a3b4c5d6e03',
      cluster: 'prod',
      namespace: 'shop',
      object: { kind: 'Pod', name: 'checkout-7d4b9c6f5-x2x9k' },
      fieldPath: 'spec.containers{app}',
      container: 'app',
      type: 'Warning',
      reason: 'BackOff',
      message:
        'Back-off restarting failed container app in pod checkout-7d4b9c6f5-x2x9k_shop(c0b4d3e2-8f61-4a7e-b2d9-0e5f6a7c8d33)',
      count: 12,
      firstTime: '2026-01-15T11:24:00.000Z',
      lastTime: '2026-01-15T11:59:36.000Z',
      source: 'kubelet (node-a)',
    });
    // Written through events.k8s.io: eventTime and series, no legacy timestamps.
    expect(byReason.Unhealthy).toMatchObject({
      container: 'app',
      count: 7,
      firstTime: '2026-01-15T11:40:00.412Z',
      lastTime: '2026-01-15T11:58:10.000Z',
      source: 'kubelet (node-a)',
    });
    // A single occurrence without series: eventTime is both times, count 1.
    expect(byReason.FailedMount).toMatchObject({
      count: 1,
      firstTime: '2026-01-15T11:41:00.000Z',
      lastTime: '2026-01-15T11:41:00.000Z',
    });
    expect(byReason.FailedMount.fieldPath).toBeUndefined();
    expect(byReason.ScalingReplicaSet).toMatchObject({
      object: { kind: 'Deployment', name: 'checkout' },
      source: 'deployment-controller',
    });
  });

  it('masks a secret in a message: the text is shown, never a credential', async () => {
    const result = await readEntityEvents(
      fakeKubernetes().client,
      'component:default/checkout',
      credentials,
    );
    const mount = result.events.find(e => e.reason === 'FailedMount')!;
    expect(mount.message).toBe(
      'MountVolume.SetUp failed for volume "db": token=[REDACTED TOKEN] rejected',
    );
    expect(JSON.stringify(result)).not.toContain('ghp_R2d2');
  });

  it('names a namespace whose list fails and keeps the others', async () => {
    const result = await readEntityEvents(
      fakeKubernetes().client,
      'component:default/checkout',
      credentials,
    );
    expect(result.errors).toEqual([
      {
        cluster: 'edge',
        message:
          "events of namespace shop-edge could not be read: Kubernetes cluster 'edge' failed GET /api/v1/namespaces/shop-edge/events (HTTP 503)",
      },
    ]);
    expect(result.events).toHaveLength(5);
  });

  it('fails when the entity’s objects cannot be read at all', async () => {
    const k8s = fakeKubernetes();
    k8s.getObjectsByEntity.mockRejectedValue(
      new ServiceUnavailableError('Kubernetes backend failed'),
    );
    await expect(
      readEntityEvents(k8s.client, 'component:default/checkout', credentials),
    ).rejects.toThrow('Kubernetes backend failed');
    expect(k8s.read).not.toHaveBeenCalled();
  });
});
