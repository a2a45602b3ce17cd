import { mockCredentials } from '@backstage/backend-test-utils';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { checkoutCluster } from '../__testUtils__/checkoutFixture';
import {
  FakeKubernetesClient,
  SeededObject,
} from '../__testUtils__/FakeKubernetesClient';
import { KubernetesContextGatherer } from './KubernetesContextGatherer';

const ENTITY = 'component:default/checkout';
const credentials = mockCredentials.user('user:default/alice');

function policy(name: string, namespace: string): SeededObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name,
      namespace,
      uid: `uid-${name}`,
      generation: 1,
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  };
}

function clusterWithPolicies() {
  const cluster = checkoutCluster();
  cluster.objects.push(
    policy('default-deny-ingress', 'shop'),
    policy('default-deny-ingress', 'billing'),
  );
  return cluster;
}

describe('NetworkPolicy reads', () => {
  it("reads the policies of the namespaces of the entity's Services, none of the others", async () => {
    const kubernetes = new FakeKubernetesClient([clusterWithPolicies()]);
    const result = await new KubernetesContextGatherer({ kubernetes }).gather(
      ENTITY,
      { credentials },
    );

    expect(result.errors).toEqual([]);
    const [ctx] = result.contexts;
    expect(
      ctx.networkpolicies?.map(
        p => `${p.metadata?.namespace}/${p.metadata?.name}`,
      ),
    ).toEqual(['shop/default-deny-ingress']);
    expect(
      kubernetes.requests.filter(r => /networkpolicies/.test(r.path)),
    ).toEqual([
      expect.objectContaining({
        path: '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies',
      }),
    ]);
  });

  it('goes on without policies, with a note, when the list is denied', async () => {
    const kubernetes = new FakeKubernetesClient([clusterWithPolicies()]);
    kubernetes.faults.push({
      path: /networkpolicies/,
      error: new NotAllowedError(
        'networkpolicies.networking.k8s.io is forbidden: User "alice" cannot list resource "networkpolicies" in API group "networking.k8s.io" in the namespace "shop"',
      ),
    });
    const result = await new KubernetesContextGatherer({ kubernetes }).gather(
      ENTITY,
      { credentials },
    );

    const [ctx] = result.contexts;
    expect(ctx.pods.length).toBeGreaterThan(0);
    expect(ctx.networkpolicies).toBeUndefined();
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^cluster 'demo': NetworkPolicies of namespace shop could not be read: .*forbidden/,
      ),
    ]);
  });

  it('takes a cluster that does not serve NetworkPolicies as one without any', async () => {
    const kubernetes = new FakeKubernetesClient([clusterWithPolicies()]);
    kubernetes.faults.push({
      path: /networkpolicies/,
      error: new NotFoundError(
        'the server could not find the requested resource',
      ),
    });
    const result = await new KubernetesContextGatherer({ kubernetes }).gather(
      ENTITY,
      { credentials },
    );

    expect(result.errors).toEqual([]);
    expect(result.contexts[0].networkpolicies).toEqual([]);
  });
});
