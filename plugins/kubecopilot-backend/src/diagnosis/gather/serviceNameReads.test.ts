import { mockCredentials } from '@backstage/backend-test-utils';
import { checkoutCluster } from '../__testUtils__/checkoutFixture';
import {
  FakeKubernetesClient,
  SeededObject,
} from '../__testUtils__/FakeKubernetesClient';
import { KubernetesContextGatherer } from './KubernetesContextGatherer';

const ENTITY = 'component:default/checkout';
const credentials = mockCredentials.user('user:default/alice');

function statefulSet(name: string, serviceName: string): SeededObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name,
      namespace: 'shop',
      uid: `uid-${name}`,
      labels: { 'backstage.io/kubernetes-id': 'checkout', app: name },
    },
    spec: {
      replicas: 1,
      serviceName,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [] },
      },
    },
    status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 },
  };
}

describe('governing Service reads', () => {
  it('names the serviceName Services that do not exist, metadata only', async () => {
    const cluster = checkoutCluster();
    cluster.objects.push(
      statefulSet('zk', 'zk-hs'),
      statefulSet('cache', 'cache-hs'),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'cache-hs', namespace: 'shop' },
        spec: { clusterIP: 'None', selector: { app: 'cache' } },
      },
    );
    const kubernetes = new FakeKubernetesClient([cluster]);
    const gatherer = new KubernetesContextGatherer({ kubernetes });
    const result = await gatherer.gather(ENTITY, { credentials });

    expect(result.errors).toEqual([]);
    expect(result.contexts[0].missingServices).toEqual([
      { namespace: 'shop', name: 'zk-hs' },
    ]);
    const reads = kubernetes.requests.filter(r =>
      r.path.endsWith('/namespaces/shop/services'),
    );
    expect(reads.map(r => r.method)).toEqual(['readMetadata']);
  });

  it('checks nothing when no StatefulSet names a Service', async () => {
    const kubernetes = new FakeKubernetesClient([checkoutCluster()]);
    const gatherer = new KubernetesContextGatherer({ kubernetes });
    const result = await gatherer.gather(ENTITY, { credentials });
    expect(result.contexts[0].missingServices).toBeUndefined();
  });
});
