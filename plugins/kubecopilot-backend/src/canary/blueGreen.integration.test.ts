/**
 * Blue-green plans for real: this plugin and the real Kubernetes backend in
 * one test backend, the demo cluster (checkout scenario, with its metrics
 * exporter) and a real Prometheus server scraping it every second. Blue is
 * checkout on 2.2.0; the scenario declares 2.4.0 healthy and 2.5.0-beta as
 * answering 8% errors with a 900 ms p99.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  CHECKOUT,
  rolloutStack,
  until,
  writeToCluster,
} from '../__testUtils__/demoBackend';

jest.setTimeout(240_000);

const BLUE = 'ghcr.io/kubecopilot-demo/checkout:2.2.0';
const GOOD = 'ghcr.io/kubecopilot-demo/checkout:2.4.0';
const BAD = 'ghcr.io/kubecopilot-demo/checkout:2.5.0-beta';
const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');
const TRACK = 'kubecopilot.io/track';

describe('blue-green plans against the demo cluster and a real Prometheus', () => {
  const { writes, cluster, deployment, act, ...stack } = rolloutStack({
    // Blue is a healthy checkout: roll it back to 2.2.0 first, as its team would.
    prepare: async demo => {
      const patched = await writeToCluster(demo, 'PATCH', '/apis/apps/v1/namespaces/shop/deployments/checkout', {
        spec: { template: { spec: { containers: [{ name: 'checkout', image: BLUE }] } } },
      }, 'application/strategic-merge-patch+json');
      if (patched.status !== 200) throw new Error(`PATCH checkout answered ${patched.status}`);
      await until('checkout on 2.2.0 is available', () => {
        const d = deployment('checkout');
        const old = demo
          .listObjects('apps/v1', 'ReplicaSet', 'shop')
          .filter((rs: any) => rs.metadata.name.startsWith('checkout-') && rs.spec.template.spec.containers[0].image !== BLUE);
        return (
          d.status?.availableReplicas === 1 &&
          d.status?.updatedReplicas === 1 &&
          old.every((rs: any) => (rs.status?.replicas ?? 0) === 0)
        );
      });
    },
    planTimeoutMs: 120_000,
  });
  const service = () => cluster().getObject('v1', 'Service', 'shop', 'checkout') as any;
  const waitFor = (id: string, statuses: string[]) =>
    stack.waitFor(alice, id, statuses);

  it('a good image: green is gated, confirmed, switched to, baked; blue is scaled to 0; the revert switches back', async () => {
    const original = service().spec.selector;
    const created = await act(alice, 'blue-green', {
      entityRef: CHECKOUT,
      target: { name: 'checkout' },
      image: '2.4.0',
      maxErrorRate: 0.01,
      maxP99LatencyMs: 500,
      confirmSwitch: true,
      bakeSeconds: 8,
    });
    expect(created.body.error).toBeUndefined();
    expect(created.status).toBe(201);
    const plan = created.body;
    expect(plan).toMatchObject({
      status: 'pending',
      action: 'blue-green',
      params: { image: GOOD, previousImage: BLUE, greenName: 'checkout-green', service: 'checkout' },
      risk: { level: 'high' },
      requiresSecondApprover: true,
    });
    expect(plan.risk.rationale).toContain('[traffic-switch]');
    expect(plan.aiRationale).toContain('Traffic moves once, at step "switch-service"');
    expect(plan.aiRationale).toContain('To go back:');
    expect(plan.steps.find((s: any) => s.id === 'switch-service').risk.level).toBe('high');
    expect(writes).toEqual([]);

    expect((await act(bob, `${plan.id}/approve`)).body.status).toBe('confirmed');
    expect((await act(bob, `${plan.id}/execute`)).status).toBe(202);
    const paused = await waitFor(plan.id, ['paused', 'failed']);
    expect(paused.status).toBe('paused');
    // Green runs and passed its gates, but takes no traffic: the Service is pinned to blue.
    expect(deployment('checkout-green').spec.template.spec.containers[0].image).toBe(GOOD);
    expect(deployment('checkout-green').status.availableReplicas).toBe(1);
    expect(service().spec.selector).toEqual({
      ...original,
      'pod-template-hash': plan.params.blueHash,
    });
    for (const gate of paused.steps.filter((s: any) => s.id.startsWith('gate-'))) {
      expect(gate.status).toBe('succeeded');
    }

    await act(bob, `${plan.id}/steps/confirm-switch/confirm`, { comment: 'green looks good' });
    const done = await waitFor(plan.id, ['executed', 'failed']);
    expect(done.error).toBeUndefined();
    expect(done).toMatchObject({ status: 'executed', execution: { outcome: 'applied' } });
    expect(service().spec.selector).toEqual({ ...original, [TRACK]: 'green' });
    expect(deployment('checkout').spec.replicas).toBe(0);
    expect(done.steps.filter((s: any) => s.id.startsWith('bake-')).every((s: any) => s.status === 'succeeded')).toBe(true);
    expect(writes).toEqual([
      'PUT /api/v1/namespaces/shop/services/checkout 200',
      'POST /apis/apps/v1/namespaces/shop/deployments 201',
      'PUT /api/v1/namespaces/shop/services/checkout 200',
      'PATCH /apis/apps/v1/namespaces/shop/deployments/checkout 200',
    ]);

    writes.length = 0;
    const reverted = await act(bob, `${plan.id}/revert`);
    expect(reverted.body.error).toBeUndefined();
    expect(reverted.body.status).toBe('reverted');
    expect(deployment('checkout').spec.replicas).toBe(1);
    expect(deployment('checkout-green')).toBeUndefined();
    expect(service().spec.selector).toEqual(original);
    expect(writes).toEqual([
      'PATCH /apis/apps/v1/namespaces/shop/deployments/checkout 200',
      'PUT /api/v1/namespaces/shop/services/checkout 200',
      'DELETE /apis/apps/v1/namespaces/shop/deployments/checkout-green 200',
      'PUT /api/v1/namespaces/shop/services/checkout 200',
    ]);
  });

  it('a bad image from the prompt bar is rolled back before the switch: the Service never selected green', async () => {
    await until('blue is available again', () => deployment('checkout').status?.availableReplicas === 1);
    const original = service().spec.selector;
    const created = await act(alice, '', {
      entityRef: CHECKOUT,
      intent: 'blue-green checkout to image 2.5.0-beta, switch after error rate < 1% for 6s',
    });
    expect(created.body.error).toBeUndefined();
    const plan = created.body;
    expect(plan).toMatchObject({ action: 'blue-green', params: { image: BAD, maxErrorRate: 0.01 } });

    await act(bob, `${plan.id}/approve`);
    expect((await act(bob, `${plan.id}/execute`)).status).toBe(202);
    const done = await waitFor(plan.id, ['executed', 'failed']);
    expect(done).toMatchObject({ status: 'failed', execution: { outcome: 'rolled-back' } });
    const gate = done.steps.find((s: any) => s.id === 'gate-error-rate');
    expect(gate.status).toBe('failed');
    expect(gate.measurements.some((m: any) => m.passed === false && m.value > 0.01)).toBe(true);
    const status = (id: string) => done.steps.find((s: any) => s.id === id).status;
    expect(status('switch-service')).toBe('pending');
    expect(status('rollback-switch-back')).toBe('skipped');
    expect(status('rollback-remove-green')).toBe('succeeded');
    expect(status('rollback-unpin-service')).toBe('succeeded');
    expect(deployment('checkout-green')).toBeUndefined();
    expect(deployment('checkout').spec.template.spec.containers[0].image).toBe(BLUE);
    expect(service().spec.selector).toEqual(original);
    expect(writes).toEqual([
      'PUT /api/v1/namespaces/shop/services/checkout 200',
      'POST /apis/apps/v1/namespaces/shop/deployments 201',
      'DELETE /apis/apps/v1/namespaces/shop/deployments/checkout-green 200',
      'PUT /api/v1/namespaces/shop/services/checkout 200',
    ]);
  });

  it('a Service changed between approval and the switch aborts the switch and rolls back', async () => {
    const created = await act(alice, 'blue-green', {
      entityRef: CHECKOUT,
      target: { name: 'checkout' },
      image: '2.4.0',
      confirmSwitch: true,
    });
    expect(created.body.error).toBeUndefined();
    const plan = created.body;
    await act(bob, `${plan.id}/approve`);
    await act(bob, `${plan.id}/execute`);
    await waitFor(plan.id, ['paused']);

    // Someone adds a port to the Service by hand meanwhile.
    const ports = [...service().spec.ports, { name: 'admin', port: 9090, protocol: 'TCP', targetPort: 9090 }];
    const edited = await writeToCluster(cluster(), 'PATCH', '/api/v1/namespaces/shop/services/checkout', {
      spec: { ports },
    });
    expect(edited.status).toBe(200);
    writes.length = 0;

    await act(bob, `${plan.id}/steps/confirm-switch/confirm`);
    const done = await waitFor(plan.id, ['executed', 'failed']);
    expect(done.status).toBe('failed');
    const sw = done.steps.find((s: any) => s.id === 'switch-service');
    expect(sw.status).toBe('failed');
    expect(sw.result).toMatch(/changed since the plan was made \(spec\.ports\)/);
    expect(service().spec.selector[TRACK]).toBeUndefined();
    expect(deployment('checkout-green')).toBeUndefined();
    // Nothing overwrote the hand-made change: the pin stays, and the plan says so.
    expect(done.steps.find((s: any) => s.id === 'rollback-unpin-service').status).toBe('failed');
    expect(writes).toEqual(['DELETE /apis/apps/v1/namespaces/shop/deployments/checkout-green 200']);
  });
});

