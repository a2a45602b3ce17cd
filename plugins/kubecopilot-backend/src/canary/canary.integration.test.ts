/**
 * Canary plans for real: this plugin and the real Kubernetes backend in one
 * test backend, the demo cluster (checkout scenario, with its metrics
 * exporter) and a real Prometheus server (Debian's `prometheus`) scraping it
 * every second. The checkout scenario declares 2.4.0 as a healthy image and
 * 2.5.0-beta as one that answers 8% errors with a 900 ms p99.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  CHECKOUT,
  rolloutStack,
  writeToCluster,
} from '../__testUtils__/demoBackend';
import request from 'supertest';

jest.setTimeout(180_000);

const GOOD = 'ghcr.io/kubecopilot-demo/checkout:2.4.0';
const BAD = 'ghcr.io/kubecopilot-demo/checkout:2.5.0-beta';
const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');

describe('canary plans against the demo cluster and a real Prometheus', () => {
  const { writes, cluster, server, deployment, act, ...stack } =
    rolloutStack({ planTimeoutMs: 90_000 });
  const waitFor = (id: string, statuses: string[]) =>
    stack.waitFor(alice, id, statuses);

  async function auditTrail(id: string) {
    const trail = await request(server())
      .get(`/api/kubecopilot/audit?planId=${id}`)
      .set('authorization', alice);
    const verified = await request(server())
      .get('/api/kubecopilot/audit/verify')
      .set('authorization', alice);
    expect(verified.body).toMatchObject({ ok: true });
    return trail.body.items as Array<{ action: string; payload: any }>;
  }

  it('a canary whose gates pass pauses for confirmation, promotes, removes the canary, and reverts', async () => {
    const stableImage = deployment('checkout').spec.template.spec.containers[0].image;
    const created = await act(alice, 'canary', {
      entityRef: CHECKOUT,
      target: { name: 'checkout' },
      image: '2.4.0',
      steps: [50, 100],
      maxErrorRate: 0.01,
      maxP99LatencyMs: 500,
      confirmPromotion: true,
    });
    expect(created.body.error).toBeUndefined();
    expect(created.status).toBe(201);
    const plan = created.body;
    expect(plan).toMatchObject({
      status: 'pending',
      action: 'canary',
      params: { image: GOOD, previousImage: stableImage, canaryName: 'checkout-canary', gates: 2 },
    });
    expect(plan.steps.map((s: any) => `${s.phase}:${s.id}`)).toEqual([
      'rollout:create-canary',
      'rollout:gate-50-error-rate',
      'rollout:gate-50-p99-latency',
      'rollout:confirm-promotion',
      'rollout:promote',
      'rollout:remove-canary',
      'rollback:rollback-restore-stable',
      'rollback:rollback-remove-canary',
    ]);
    expect(writes).toEqual([]);

    expect((await act(bob, `${plan.id}/approve`)).body.status).toBe('confirmed');
    const started = await act(bob, `${plan.id}/execute`);
    expect(started.status).toBe(202);
    expect(started.body.status).toBe('executing');

    const paused = await waitFor(plan.id, ['paused', 'failed']);
    expect(paused.status).toBe('paused');
    expect(deployment('checkout-canary').spec.template.spec.containers[0].image).toBe(GOOD);
    const gates = paused.steps.filter((s: any) => s.type === 'gate');
    for (const gate of gates) {
      expect(gate.status).toBe('succeeded');
      expect(gate.measurements.some((m: any) => m.passed === true)).toBe(true);
    }
    expect(paused.steps.find((s: any) => s.id === 'confirm-promotion').status).toBe('waiting');

    const confirmed = await act(bob, `${plan.id}/steps/confirm-promotion/confirm`, {
      comment: 'metrics look good',
    });
    expect(confirmed.body.error).toBeUndefined();
    const done = await waitFor(plan.id, ['executed', 'failed']);
    expect(done.error).toBeUndefined();
    expect(done).toMatchObject({ status: 'executed', execution: { outcome: 'applied' } });
    expect(deployment('checkout').spec.template.spec.containers[0].image).toBe(GOOD);
    expect(deployment('checkout-canary')).toBeUndefined();
    expect(writes).toEqual([
      'POST /apis/apps/v1/namespaces/shop/deployments 201',
      'PATCH /apis/apps/v1/namespaces/shop/deployments/checkout 200',
      'DELETE /apis/apps/v1/namespaces/shop/deployments/checkout-canary 200',
    ]);

    const reverted = await act(bob, `${plan.id}/revert`);
    expect(reverted.body.error).toBeUndefined();
    expect(reverted.body.status).toBe('reverted');
    expect(deployment('checkout').spec.template.spec.containers[0].image).toBe(stableImage);

    const trail = await auditTrail(plan.id);
    const stepEntries = trail
      .filter(e => e.action.startsWith('plan.step-'))
      .map(e => `${e.action} ${e.payload.stepId}`);
    expect(stepEntries).toEqual(
      expect.arrayContaining([
        'plan.step-succeeded create-canary',
        'plan.step-succeeded gate-50-error-rate',
        'plan.step-succeeded gate-50-p99-latency',
        'plan.step-confirmed confirm-promotion',
        'plan.step-succeeded promote',
        'plan.step-succeeded remove-canary',
      ]),
    );
    expect(trail.filter(e => e.action === 'plan.gate-sampled').length).toBeGreaterThanOrEqual(2);
  });

  it('a canary whose error-rate gate fails rolls back: the canary is deleted and the stable image stays', async () => {
    const stableImage = deployment('checkout').spec.template.spec.containers[0].image;
    const created = await act(alice, '', {
      entityRef: CHECKOUT,
      intent: 'canary checkout to image 2.5.0-beta at 50%, then 100%, rollback if error rate > 1%',
    });
    expect(created.body.error).toBeUndefined();
    const plan = created.body;
    expect(plan).toMatchObject({ action: 'canary', params: { image: BAD, maxErrorRate: 0.01 } });

    await act(bob, `${plan.id}/approve`);
    expect((await act(bob, `${plan.id}/execute`)).status).toBe(202);
    const done = await waitFor(plan.id, ['executed', 'failed']);
    expect(done).toMatchObject({ status: 'failed', execution: { outcome: 'rolled-back' } });
    expect(done.error).toMatch(/error rate .* rolled back/);
    const gate = done.steps.find((s: any) => s.id === 'gate-50-error-rate');
    expect(gate.status).toBe('failed');
    expect(gate.measurements.some((m: any) => m.passed === false && m.value > 0.01)).toBe(true);
    expect(done.steps.find((s: any) => s.id === 'promote').status).toBe('pending');
    expect(done.steps.find((s: any) => s.id === 'rollback-remove-canary').status).toBe('succeeded');
    expect(done.steps.find((s: any) => s.id === 'rollback-restore-stable').status).toBe('skipped');

    expect(deployment('checkout').spec.template.spec.containers[0].image).toBe(stableImage);
    expect(deployment('checkout-canary')).toBeUndefined();
    expect(writes).toEqual([
      'POST /apis/apps/v1/namespaces/shop/deployments 201',
      'DELETE /apis/apps/v1/namespaces/shop/deployments/checkout-canary 200',
    ]);
    const trail = await auditTrail(plan.id);
    expect(trail.map(e => e.action)).toEqual(
      expect.arrayContaining(['plan.step-failed', 'plan.rollback-started', 'plan.failed']),
    );
  });

  it('a stable Deployment changed while the plan waits for confirmation aborts the promotion and rolls back', async () => {
    const created = await act(alice, 'canary', {
      entityRef: CHECKOUT,
      target: { name: 'checkout' },
      image: '2.4.0',
      steps: [50, 100],
      confirmPromotion: true,
    });
    expect(created.body.error).toBeUndefined();
    const plan = created.body;
    expect(plan.risk.reasons.map((r: any) => r.rule)).toContain('canary-without-gates');
    expect(plan.risk.level).toBe('high');
    await act(bob, `${plan.id}/approve`);
    await act(bob, `${plan.id}/execute`);
    await waitFor(plan.id, ['paused']);

    // Someone scales the stable Deployment by hand meanwhile.
    const scaled = await writeToCluster(cluster(), 'PATCH', '/apis/apps/v1/namespaces/shop/deployments/checkout', {
      spec: { replicas: 4 },
    });
    expect(scaled.status).toBe(200);
    writes.length = 0;

    await act(bob, `${plan.id}/steps/confirm-promotion/confirm`);
    const done = await waitFor(plan.id, ['executed', 'failed']);
    expect(done.status).toBe('failed');
    expect(done.steps.find((s: any) => s.id === 'promote').result).toMatch(/changed since the plan was made/);
    expect(deployment('checkout-canary')).toBeUndefined();
    expect(writes).toEqual([
      'DELETE /apis/apps/v1/namespaces/shop/deployments/checkout-canary 200',
    ]);
  });
});

