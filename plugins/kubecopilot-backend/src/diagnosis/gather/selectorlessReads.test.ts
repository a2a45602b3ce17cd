import { mockCredentials } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { checkoutCluster } from '../__testUtils__/checkoutFixture';
import {
  FakeKubernetesClient,
  SeededObject,
} from '../__testUtils__/FakeKubernetesClient';
import { KubernetesContextGatherer } from './KubernetesContextGatherer';

const ENTITY = 'component:default/checkout';
const credentials = mockCredentials.user('user:default/alice');

const dbService: SeededObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: 'checkout-db',
    namespace: 'shop',
    uid: 'uid-checkout-db',
    labels: { 'backstage.io/kubernetes-id': 'checkout' },
  },
  spec: {
    type: 'ClusterIP',
    clusterIP: '10.96.7.7',
    ports: [
      { name: 'postgres', port: 5432, protocol: 'TCP', targetPort: 5432 },
    ],
  },
};

const slice: SeededObject = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: {
    name: 'checkout-db-x7k2p',
    namespace: 'shop',
    labels: {
      'kubernetes.io/service-name': 'checkout-db',
      'endpointslice.kubernetes.io/managed-by': 'db-proxy-operator.acme.io',
    },
  },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.20.0.15'], conditions: { ready: true } }],
  ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }],
};

async function gather(objects: SeededObject[], fault?: Error) {
  const cluster = checkoutCluster();
  cluster.objects.push(...objects);
  const kubernetes = new FakeKubernetesClient([cluster]);
  if (fault) kubernetes.faults.push({ path: /endpointslices/, error: fault });
  const result = await new KubernetesContextGatherer({ kubernetes }).gather(
    ENTITY,
    { credentials },
  );
  return { result, ctx: result.contexts[0], kubernetes };
}

describe('selector-less Service reads', () => {
  it('names a selector-less Service with neither Endpoints nor EndpointSlices', async () => {
    const { result, ctx, kubernetes } = await gather([dbService]);
    expect(result.errors).toEqual([]);
    expect(ctx.missingEndpoints).toEqual([
      { namespace: 'shop', name: 'checkout-db' },
    ]);
    expect(kubernetes.requests.map(r => r.path)).toContain(
      '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices',
    );
  });

  it('keeps the EndpointSlice a controller writes for it, and names nothing', async () => {
    const { ctx } = await gather([dbService, slice]);
    expect(ctx.missingEndpoints).toEqual([]);
    expect(ctx.endpointslices.map(s => s.metadata?.name)).toEqual([
      'checkout-db-x7k2p',
    ]);
  });

  it('judges nothing when the cluster does not serve EndpointSlices', async () => {
    const { result, ctx } = await gather(
      [dbService],
      new NotFoundError('the server could not find the requested resource'),
    );
    expect(result.errors).toEqual([]);
    expect(ctx.missingEndpoints).toBeUndefined();
  });

  it('reads the EndpointSlices of Services with a selector too, and names none of them', async () => {
    const checkoutSlice: SeededObject = {
      ...slice,
      metadata: {
        ...slice.metadata,
        name: 'checkout-5k8fj',
        labels: {
          'kubernetes.io/service-name': 'checkout',
          'endpointslice.kubernetes.io/managed-by':
            'endpointslice-controller.k8s.io',
        },
      },
    };
    const { ctx, kubernetes } = await gather([checkoutSlice]);
    expect(ctx.missingEndpoints).toEqual([]);
    expect(ctx.endpointslices.map(s => s.metadata?.name)).toEqual([
      'checkout-5k8fj',
    ]);
    expect(
      kubernetes.requests.filter(r => /endpointslices/.test(r.path)),
    ).toHaveLength(1);
  });
});
