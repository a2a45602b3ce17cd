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

function budget(name: string, app: string): SeededObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: {
      name,
      namespace: 'shop',
      uid: `uid-${name}`,
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: { minAvailable: 1, selector: { matchLabels: { app } } },
    status: {
      currentHealthy: 0,
      desiredHealthy: 1,
      disruptionsAllowed: 0,
      expectedPods: 1,
      observedGeneration: 1,
    },
  };
}

function budgetEvent(pdb: string): SeededObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${pdb}.18a1b2c3d4e5f607`, namespace: 'shop' },
    involvedObject: {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      name: pdb,
      namespace: 'shop',
      uid: `uid-${pdb}`,
    },
    reason: 'CalculateExpectedPodCountFailed',
    message: `Failed to calculate the number of expected pods: found no controllers for pod "${pdb}-x"`,
    source: { component: 'controllermanager' },
    firstTimestamp: '2026-01-15T11:50:00Z',
    lastTimestamp: '2026-01-15T11:59:00Z',
    count: 10,
    type: 'Warning',
    reportingComponent: 'controllermanager',
  };
}

function clusterWithBudgets() {
  const cluster = checkoutCluster();
  cluster.objects.push(
    budget('checkout', 'checkout'),
    budget('cart', 'cart'),
    budgetEvent('checkout'),
    budgetEvent('cart'),
  );
  return cluster;
}

describe('PodDisruptionBudget reads', () => {
  it('keeps the budgets whose selector matches the entity pods, with their events', async () => {
    const kubernetes = new FakeKubernetesClient([clusterWithBudgets()]);
    const gatherer = new KubernetesContextGatherer({ kubernetes });
    const result = await gatherer.gather(ENTITY, { credentials });

    expect(result.errors).toEqual([]);
    const [ctx] = result.contexts;
    expect(ctx.pdbs?.map(p => p.metadata?.name)).toEqual(['checkout']);
    const budgetEvents = ctx.events.filter(
      e => e.involvedObject.kind === 'PodDisruptionBudget',
    );
    expect(budgetEvents.map(e => e.involvedObject.name)).toEqual(['checkout']);
    expect(kubernetes.requests.map(r => r.path)).toContain(
      '/apis/policy/v1/namespaces/shop/poddisruptionbudgets',
    );
  });

  it('goes on without budgets, with a note, when the list is denied', async () => {
    const kubernetes = new FakeKubernetesClient([clusterWithBudgets()]);
    kubernetes.faults.push({
      path: /poddisruptionbudgets/,
      error: new NotAllowedError(
        'poddisruptionbudgets.policy is forbidden: User "alice" cannot list resource "poddisruptionbudgets" in API group "policy" in the namespace "shop"',
      ),
    });
    const gatherer = new KubernetesContextGatherer({ kubernetes });
    const result = await gatherer.gather(ENTITY, { credentials });

    const [ctx] = result.contexts;
    expect(ctx.pods.length).toBeGreaterThan(0);
    expect(ctx.pdbs).toEqual([]);
    expect(
      ctx.events.some(e => e.involvedObject.kind === 'PodDisruptionBudget'),
    ).toBe(false);
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^cluster 'demo': PodDisruptionBudgets of namespace shop could not be read: .*forbidden/,
      ),
    ]);
  });

  it('takes a cluster that does not serve policy/v1 as one without budgets', async () => {
    const kubernetes = new FakeKubernetesClient([clusterWithBudgets()]);
    kubernetes.faults.push({
      path: /poddisruptionbudgets/,
      error: new NotFoundError(
        'the server could not find the requested resource',
      ),
    });
    const gatherer = new KubernetesContextGatherer({ kubernetes });
    const result = await gatherer.gather(ENTITY, { credentials });

    expect(result.errors).toEqual([]);
    expect(result.contexts[0].pdbs).toEqual([]);
  });
});
