import { mockCredentials } from '@backstage/backend-test-utils';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  CANARIES,
  CHECKOUT_POD,
  checkoutCluster,
  leakedCanaries,
} from '../__testUtils__/checkoutFixture';
import { FakeKubernetesClient } from '../__testUtils__/FakeKubernetesClient';
import { KubernetesContextGatherer } from './KubernetesContextGatherer';

const ENTITY = 'component:default/checkout';
const credentials = mockCredentials.user('user:default/alice');

describe('KubernetesContextGatherer', () => {
  it('reads everything in two waves, as the user, and redacts it', async () => {
    const kubernetes = new FakeKubernetesClient([checkoutCluster()]);
    kubernetes.latencyMs = 100;
    const gatherer = new KubernetesContextGatherer({ kubernetes });
    const result = await gatherer.gather(ENTITY, { credentials });

    expect(result.errors).toEqual([]);
    // Two waves: every call after the workloads query starts before any of
    // them has answered, so the wall time is about two round trips of the
    // slowest call, not the sum of the calls.
    expect(result.stats.calls).toBeGreaterThan(6);
    const [workloads, ...secondWave] = kubernetes.timings;
    const lastStart = Math.max(...secondWave.map(t => t.started));
    const firstAnswer = Math.min(...secondWave.map(t => t.finished!));
    expect(lastStart).toBeGreaterThanOrEqual(workloads.finished!);
    expect(lastStart).toBeLessThan(firstAnswer);
    expect(result.stats.wallMs).toBeLessThan(20 * 100);
    const [ctx] = result.contexts;
    expect(ctx.cluster).toBe('demo');
    expect(ctx.pods.map(p => p.metadata?.name)).toEqual([CHECKOUT_POD]);
    expect(ctx.deployments.map(p => p.metadata?.name)).toEqual(['checkout']);
    expect(ctx.replicasets).toHaveLength(2);
    expect(ctx.endpoints.map(e => e.metadata?.name)).toEqual(['checkout']);
    expect(ctx.nodes.map(n => n.metadata?.name)).toEqual(['demo-node-1']);
    // Only the events of the entity's objects.
    expect(new Set(ctx.events.map(e => e.involvedObject.name))).toEqual(
      new Set(['checkout', CHECKOUT_POD]),
    );
    // The Secret exists (metadata-only check), so nothing is missing.
    expect(ctx.missing).toEqual([]);
    expect(ctx.logs.map(l => [l.container, l.previous])).toEqual([
      ['checkout', false],
      ['checkout', true],
    ]);
    const previous = ctx.logs.find(l => l.previous)!;
    expect(previous.lines).toContain('[REDACTED PRIVATE KEY]');
    expect(previous.lines).toContain(
      'Error: Missing required environment variable PAYMENT_GATEWAY_URL',
    );
    expect(leakedCanaries(result)).toEqual([]);
    expect(result.stats.redactions).toBeGreaterThan(0);

    const [first, ...rest] = kubernetes.requests;
    expect(first.method).toBe('workloads');
    expect(rest.filter(r => r.method === 'readText')).toEqual([
      expect.objectContaining({
        path: `/api/v1/namespaces/shop/pods/${CHECKOUT_POD}/log`,
        query: { container: 'checkout', tailLines: 200, limitBytes: 131072 },
      }),
      expect.objectContaining({
        query: {
          container: 'checkout',
          tailLines: 200,
          limitBytes: 131072,
          previous: true,
        },
      }),
    ]);
    // A Secret is only ever read as metadata: one list per namespace,
    // narrowed to the one name wanted.
    expect(rest.filter(r => r.path.includes('/secrets'))).toEqual([
      {
        method: 'readMetadata',
        cluster: 'demo',
        path: '/api/v1/namespaces/shop/secrets',
        query: { fieldSelector: 'metadata.name=checkout-db' },
      },
    ]);
    expect(JSON.stringify(result)).not.toContain(CANARIES.secretData);
  });

  it('reports a missing ConfigMap or Secret found by a metadata-only read', async () => {
    const cluster = checkoutCluster();
    cluster.objects = cluster.objects.filter(o => o.kind !== 'Secret');
    const gatherer = new KubernetesContextGatherer({
      kubernetes: new FakeKubernetesClient([cluster]),
    });
    const [ctx] = (await gatherer.gather(ENTITY, { credentials })).contexts;
    expect(ctx.missing).toEqual([
      { kind: 'Secret', namespace: 'shop', name: 'checkout-db' },
    ]);
  });

  it('turns a failed workloads query into an error entry, but lets a denial through', async () => {
    const kubernetes = new FakeKubernetesClient([checkoutCluster()]);
    kubernetes.faults.push({
      path: /workloads/,
      error: new ServiceUnavailableError(
        'The Kubernetes backend is unreachable',
      ),
    });
    const gatherer = new KubernetesContextGatherer({ kubernetes });
    await expect(
      gatherer.gather(ENTITY, { credentials }),
    ).resolves.toMatchObject({
      contexts: [],
      errors: [
        'The workloads of component:default/checkout could not be read: The Kubernetes backend is unreachable',
      ],
    });

    kubernetes.faults.splice(0, 1, {
      path: /workloads/,
      error: new NotAllowedError('denied'),
    });
    await expect(gatherer.gather(ENTITY, { credentials })).rejects.toThrow(
      NotAllowedError,
    );
  });

  it('bounds each call by its deadline: a hanging cluster call is an error entry, not a wait', async () => {
    const kubernetes = new FakeKubernetesClient([checkoutCluster()]);
    kubernetes.faults.push({ path: /\/log\?.*previous=true/, delayMs: 5_000 });
    const gatherer = new KubernetesContextGatherer({
      kubernetes,
      callTimeoutMs: 200,
    });
    const started = Date.now();
    const result = await gatherer.gather(ENTITY, { credentials });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(result.errors).toEqual([
      `cluster 'demo': the previous log of shop/${CHECKOUT_POD} container checkout could not be read: the previous log of shop/${CHECKOUT_POD} container checkout in cluster 'demo' did not answer within 200 ms`,
    ]);
    expect(result.contexts[0].logs.map(l => l.previous)).toEqual([false]);
  });

  it('names the clusters the workloads query could not read', async () => {
    const kubernetes = new FakeKubernetesClient([
      checkoutCluster('east'),
      checkoutCluster('west'),
    ]);
    const original = kubernetes.getObjectsByEntity.bind(kubernetes);
    kubernetes.getObjectsByEntity = async ref => {
      const response = await original(ref);
      response.items[1] = {
        ...response.items[1],
        resources: [],
        errors: [
          {
            errorType: 'FETCH_ERROR',
            message: 'connect ECONNREFUSED 10.0.0.2:443',
          },
        ],
      };
      return response;
    };
    const result = await new KubernetesContextGatherer({ kubernetes }).gather(
      ENTITY,
      { credentials },
    );
    expect(result.contexts.map(c => c.cluster)).toEqual(['east']);
    expect(result.errors).toEqual([
      "cluster 'west': connect ECONNREFUSED 10.0.0.2:443",
    ]);
  });

  it('gathers only the target and its related objects, and 404s a target outside the entity', async () => {
    const kubernetes = new FakeKubernetesClient([
      checkoutCluster('east'),
      checkoutCluster('west'),
    ]);
    const gatherer = new KubernetesContextGatherer({ kubernetes });
    const result = await gatherer.gather(ENTITY, {
      credentials,
      target: {
        cluster: 'west',
        kind: 'Service',
        namespace: 'shop',
        name: 'checkout',
      },
    });
    expect(result.contexts.map(c => c.cluster)).toEqual(['west']);
    expect(result.contexts[0].services.map(s => s.metadata?.name)).toEqual([
      'checkout',
    ]);
    expect(result.contexts[0].pods.map(s => s.metadata?.name)).toEqual([
      CHECKOUT_POD,
    ]);
    expect(kubernetes.requests.filter(r => r.cluster === 'east')).toEqual([]);

    await expect(
      gatherer.gather(ENTITY, {
        credentials,
        target: { kind: 'Pod', name: 'checkout-other-pod' },
      }),
    ).rejects.toThrow(NotFoundError);
  });

  it('reads objects wanted by name one list per namespace, and key names of a Secret from its metadata', async () => {
    const cluster = checkoutCluster();
    const secret = cluster.objects.find(o => o.kind === 'Secret')!;
    // What the API server records of the writer that created it.
    secret.metadata.managedFields = [
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2026-01-15T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:data': { '.': {}, 'f:password': {}, 'f:token': {} },
          'f:type': {},
        },
      },
    ];
    const pod = cluster.objects.find(
      o => o.kind === 'Pod' && o.metadata.name === CHECKOUT_POD,
    )!;
    pod.spec.volumes = [
      ...(pod.spec.volumes ?? []),
      { name: 'cache', persistentVolumeClaim: { claimName: 'checkout-cache' } },
    ];
    cluster.objects.push({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'checkout-cache', namespace: 'shop' },
      spec: { accessModes: ['ReadWriteOnce'] },
      status: { phase: 'Bound' },
    });
    const kubernetes = new FakeKubernetesClient([cluster]);
    const result = await new KubernetesContextGatherer({ kubernetes }).gather(
      ENTITY,
      { credentials },
    );
    expect(result.errors).toEqual([]);
    const [ctx] = result.contexts;
    expect(ctx.pvcs.map(p => p.metadata?.name)).toEqual(['checkout-cache']);
    // The pod reads key `stripe`, which the Secret's writer never set.
    expect(ctx.objectKeys).toContainEqual({
      kind: 'Secret',
      namespace: 'shop',
      name: 'checkout-db',
      keys: ['password', 'token'],
    });
    expect(typeof ctx.now).toBe('number');
    // No GET of a single Endpoints, claim, ConfigMap or Secret.
    const perObject = kubernetes.requests.filter(r =>
      /\/(endpoints|persistentvolumeclaims|configmaps|secrets)\/[^/]+$/.test(
        r.path,
      ),
    );
    expect(perObject).toEqual([]);
    // Claims need StorageClasses; no Ingress, so no IngressClasses.
    expect(kubernetes.requests.map(r => r.path)).toContain(
      '/apis/storage.k8s.io/v1/storageclasses',
    );
    expect(kubernetes.requests.map(r => r.path)).not.toContain(
      '/apis/networking.k8s.io/v1/ingressclasses',
    );
    expect(JSON.stringify(result)).not.toContain(CANARIES.secretData);
  });

  it('falls back to one read per object when listing is denied, and reads the claims of a StatefulSet before any pod mounts them', async () => {
    const cluster = checkoutCluster();
    cluster.objects.push(
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: {
          name: 'checkout-db',
          namespace: 'shop',
          labels: { 'backstage.io/kubernetes-id': 'checkout' },
        },
        spec: {
          replicas: 2,
          volumeClaimTemplates: [{ metadata: { name: 'data' } }],
        },
        status: { replicas: 0 },
      },
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data-checkout-db-0', namespace: 'shop' },
        spec: { accessModes: ['ReadWriteOnce'] },
        status: { phase: 'Pending' },
      },
    );
    const kubernetes = new FakeKubernetesClient([cluster]);
    kubernetes.faults.push({
      path: /^\/api\/v1\/namespaces\/shop\/secrets$/,
      error: new NotAllowedError('secrets is forbidden: cannot list'),
    });
    const result = await new KubernetesContextGatherer({ kubernetes }).gather(
      ENTITY,
      { credentials },
    );
    expect(result.errors).toEqual([]);
    const [ctx] = result.contexts;
    expect(ctx.missing).toEqual([]);
    expect(
      kubernetes.requests
        .filter(r => r.path.includes('/secrets'))
        .map(r => r.path),
    ).toEqual([
      '/api/v1/namespaces/shop/secrets',
      '/api/v1/namespaces/shop/secrets/checkout-db',
    ]);
    // Both ordinals' claims are wanted; only the one that exists is found.
    expect(ctx.pvcs.map(p => p.metadata?.name)).toEqual(['data-checkout-db-0']);
    expect(
      kubernetes.requests.find(r =>
        r.path.endsWith('/namespaces/shop/persistentvolumeclaims'),
      )?.query,
    ).toBeUndefined();
  });

  it('reads the logs of every container in trouble, and of one healthy replica per template', async () => {
    const cluster = checkoutCluster();
    const pod = cluster.objects.find(
      o => o.kind === 'Pod' && o.metadata.name === CHECKOUT_POD,
    )!;
    // Three healthy replicas of another template beside the crashing one.
    for (const i of [1, 2, 3]) {
      const name = `checkout-healthy-${i}`;
      cluster.objects.push({
        ...pod,
        metadata: {
          ...pod.metadata,
          name,
          ownerReferences: [
            { kind: 'ReplicaSet', name: 'checkout-healthy', controller: true },
          ],
        },
        status: {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'checkout',
              ready: true,
              restartCount: 0,
              image: 'x',
              imageID: '',
              state: { running: { startedAt: '2026-01-15T09:00:00Z' } },
            },
          ],
        },
      });
      cluster.logs.push({
        namespace: 'shop',
        pod: name,
        container: 'checkout',
        previous: false,
        lines: ['ok'],
      });
    }
    const kubernetes = new FakeKubernetesClient([cluster]);
    const [ctx] = (
      await new KubernetesContextGatherer({ kubernetes }).gather(ENTITY, {
        credentials,
      })
    ).contexts;
    expect(ctx.logs.map(l => [l.pod, l.previous])).toEqual([
      [CHECKOUT_POD, false],
      [CHECKOUT_POD, true],
      ['checkout-healthy-1', false],
    ]);
  });
});
