import { mockCredentials } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import type { PlanStep } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { KubernetesBackendClient, KubernetesWriteRequest } from '../kubernetes/types';
import { isSelectorStep, switchSelector, waitAvailable } from './blueGreenSteps';

const credentials = mockCredentials.service();

/** The Service as the API server answers GET. */
const liveService = (selector: Record<string, string>, ports?: any[]) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'checkout', namespace: 'shop', uid: 's1', resourceVersion: '812' },
  spec: {
    clusterIP: '10.96.88.203',
    ports: ports ?? [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
    selector,
    type: 'ClusterIP',
  },
  status: { loadBalancer: {} },
});

const green = (available: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'checkout-green', namespace: 'shop', generation: 1 },
  spec: { replicas: 2 },
  status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: available },
});

function fakeCluster(objects: Record<string, any>) {
  const writes: KubernetesWriteRequest[] = [];
  const client = {
    read: async ({ path }: { path: string }) => {
      if (!objects[path]) throw new NotFoundError(`${path} not found`);
      return structuredClone(objects[path]);
    },
    write: async (req: KubernetesWriteRequest) => {
      if (!req.dryRun) {
        writes.push(req);
        objects[req.path] = req.body;
      }
      return req.body;
    },
  } as unknown as KubernetesBackendClient;
  return { client, writes };
}

const SERVICE = '/api/v1/namespaces/shop/services/checkout';
const GREEN = '/apis/apps/v1/namespaces/shop/deployments/checkout-green';
const pinned = { app: 'checkout', 'pod-template-hash': 'zfglkrn22' };
const greenSelector = { app: 'checkout', 'kubecopilot.io/track': 'green' };

const switchStep: PlanStep = {
  id: 'switch-service',
  type: 'action',
  phase: 'rollout',
  title: 'Switch Service checkout to green',
  action: 'update',
  resource: { cluster: 'demo', kind: 'Service', namespace: 'shop', name: 'checkout' },
  params: { selector: greenSelector, requireAvailable: 'checkout-green' },
  diff: {
    before: { metadata: { uid: 's1' }, spec: { ...liveService(pinned).spec } },
    after: { metadata: { uid: 's1' }, spec: { ...liveService(greenSelector).spec } },
  },
  status: 'running',
};

describe('the blue-green selector steps', () => {
  it('knows a selector step from other updates', () => {
    expect(isSelectorStep(switchStep)).toBe(true);
    expect(
      isSelectorStep({ ...switchStep, resource: { ...switchStep.resource!, kind: 'Deployment' } }),
    ).toBe(false);
  });

  it('switches with one PUT of the live Service, only the selector replaced, at its resourceVersion', async () => {
    const { client, writes } = fakeCluster({ [SERVICE]: liveService(pinned), [GREEN]: green(2) });
    const outcome = await switchSelector(client, switchStep, credentials);
    expect(outcome.ok).toBe(true);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'PUT', path: SERVICE });
    expect(writes[0].body).toEqual({
      ...liveService(greenSelector),
      metadata: liveService(pinned).metadata,
    });
  });

  it('does not switch to a green that is not fully available', async () => {
    const { client, writes } = fakeCluster({ [SERVICE]: liveService(pinned), [GREEN]: green(1) });
    const outcome = await switchSelector(client, switchStep, credentials);
    expect(outcome).toMatchObject({
      ok: false,
      execution: {
        message: 'Deployment checkout-green is not fully available (1 of 2 replicas); the Service was not switched',
      },
    });
    expect(writes).toEqual([]);
  });

  it('does not overwrite a Service someone changed since the step was planned', async () => {
    const edited = liveService(pinned, [
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
      { name: 'admin', port: 9090, protocol: 'TCP', targetPort: 9090 },
    ]);
    const { client, writes } = fakeCluster({ [SERVICE]: edited, [GREEN]: green(2) });
    const outcome = await switchSelector(client, switchStep, credentials);
    expect(outcome).toMatchObject({ ok: false, execution: { drift: ['spec.ports'] } });
    expect(writes).toEqual([]);
  });

  it('writes nothing when the selector is already the wanted one (a crash after the write)', async () => {
    const { client, writes } = fakeCluster({ [SERVICE]: liveService(greenSelector), [GREEN]: green(2) });
    const outcome = await switchSelector(client, switchStep, credentials);
    expect(outcome.ok).toBe(true);
    expect(writes).toEqual([]);
  });
});

describe('waitAvailable', () => {
  it('answers once the Deployment is fully available, and says how far it got when it is not', async () => {
    const { client } = fakeCluster({ [GREEN]: green(2) });
    const ref = { cluster: 'demo', kind: 'Deployment', namespace: 'shop', name: 'checkout-green' };
    await expect(waitAvailable(client, ref, 5, credentials)).resolves.toBeUndefined();
    const { client: slow } = fakeCluster({ [GREEN]: green(0) });
    await expect(waitAvailable(slow, ref, 0, credentials)).resolves.toBe(
      'Deployment checkout-green has 0 of 2 replicas available after 0 s',
    );
  });
});
