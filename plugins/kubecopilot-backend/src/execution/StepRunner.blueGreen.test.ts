import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import {
  createBlueGreenPlanRequestSchema,
  OperationPlan,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { makePlan } from '../__testUtils__/plans';
import { DatabaseAuditStore } from '../audit/DatabaseAuditStore';
import { generateBlueGreen } from '../canary/blueGreenPlan';
import {
  KubernetesBackendClient,
  KubernetesWriteRequest,
} from '../kubernetes/types';
import { DatabasePlanStore } from '../plans/DatabasePlanStore';
import { canaryQueries } from '../prometheus/queries';
import { StepRunner } from './StepRunner';

jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const SERVICE = '/api/v1/namespaces/shop/services/checkout';
const GREEN = '/apis/apps/v1/namespaces/shop/deployments/checkout-green';
const ORIGINAL = { app: 'checkout' };
const GREEN_SELECTOR = { app: 'checkout', 'kubecopilot.io/track': 'green' };

const blue = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'checkout', namespace: 'shop', uid: 'blue-uid', generation: 2, resourceVersion: '10' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'checkout' } },
    template: {
      metadata: { labels: { app: 'checkout' } },
      spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/checkout:1.0.0' }] },
    },
  },
};
const service = (selector: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'checkout', namespace: 'shop', uid: 'svc-uid', resourceVersion: '30' },
  spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }], selector, type: 'ClusterIP' },
});

/** Objects by path; PUT replaces, DELETE removes; every write recorded. */
function fakeCluster(objects: Map<string, any>) {
  const writes: string[] = [];
  const kubernetes = {
    read: async ({ path }: { path: string }) => {
      const object = objects.get(path);
      if (!object) throw new NotFoundError(`${path} not found`);
      return structuredClone(object);
    },
    write: async (request: KubernetesWriteRequest) => {
      if (request.dryRun) return request.body ?? {};
      writes.push(`${request.method} ${request.path}`);
      if (request.method === 'DELETE') objects.delete(request.path);
      if (request.method === 'PUT') objects.set(request.path, request.body);
      return request.body ?? {};
    },
  } as unknown as KubernetesBackendClient;
  return { kubernetes, writes };
}

function blueGreenPlan(): OperationPlan {
  const generated = generateBlueGreen({
    request: createBlueGreenPlanRequestSchema.parse({
      entityRef: 'component:default/checkout',
      target: { name: 'checkout' },
      image: '2.0.0',
      maxErrorRate: 0.01,
    }),
    stable: blue,
    service: service(ORIGINAL),
    blueHash: 'abc123',
    target: { cluster: 'east', namespace: 'shop', name: 'checkout' },
    planId: 'bg-1',
    queries: canaryQueries,
  });
  return {
    ...makePlan({ id: 'bg-1', cluster: 'east' }),
    action: 'blue-green',
    status: 'executing',
    params: generated.params,
    diff: { before: blue, after: generated.green },
    steps: generated.steps.map(s => {
      if (['pin-service', 'create-green', 'gate-error-rate'].includes(s.id)) {
        return { ...s, status: 'succeeded' as const, finishedAt: '2026-11-26T02:40:00Z' };
      }
      return s.id === 'switch-service'
        ? { ...s, status: 'running' as const, startedAt: '2026-11-26T02:50:00Z' }
        : s;
    }),
  };
}

describe('StepRunner with a blue-green plan', () => {
  it('reconciles a switch a stopped backend left running: the switch is judged from the Service, then traffic goes back to blue', async () => {
    // The backend stopped after the switch's write: the Service selects green.
    const objects = new Map<string, any>([
      [SERVICE, service(GREEN_SELECTOR)],
      [GREEN, { metadata: { name: 'checkout-green', uid: 'green-uid', generation: 1 }, spec: { replicas: 2 } }],
    ]);
    const knex = await databases.init('SQLITE_3');
    const database = mockServices.database({ knex });
    const store = await DatabasePlanStore.create({ database });
    const audit = await DatabaseAuditStore.create({ database, skipMigrations: true });
    const { kubernetes, writes } = fakeCluster(objects);
    const runner = new StepRunner({
      store,
      audit,
      kubernetes,
      metrics: { isConfigured: () => false, query: async () => ({ value: null, series: 0 }) },
      notifier: { planWaiting: async () => {}, planChanged: async () => {} },
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      now: () => new Date('2026-11-26T03:00:00Z'),
      sleep: async () => {},
    });
    const plan = blueGreenPlan();
    await store.createPlan(plan, {});

    expect(await runner.reconcile((await store.getPlan(plan.id))!.plan)).toBe(true);

    const done = (await store.getPlan(plan.id))!.plan;
    expect(done).toMatchObject({ status: 'failed', execution: { outcome: 'rolled-back' } });
    const status = Object.fromEntries(done.steps!.map(s => [s.id, s.status]));
    expect(status).toMatchObject({
      'switch-service': 'succeeded',
      'remove-blue': 'pending',
      'rollback-restore-blue': 'skipped',
      'rollback-switch-back': 'succeeded',
      'rollback-remove-green': 'succeeded',
      'rollback-unpin-service': 'succeeded',
    });
    // The switch is not written again; traffic goes back, green goes, the pin goes.
    expect(writes).toEqual([`PUT ${SERVICE}`, `DELETE ${GREEN}`, `PUT ${SERVICE}`]);
    expect(objects.get(SERVICE).spec.selector).toEqual(ORIGINAL);
    expect(objects.has(GREEN)).toBe(false);
    expect((await audit.verify()).ok).toBe(true);
  });
});
