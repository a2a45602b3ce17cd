import { createCanaryPlanRequestSchema } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { canaryQueries } from '../prometheus/queries';
import {
  buildCanaryObject,
  canaryName,
  canaryReplicas,
  canaryShare,
  generateCanary,
  resolveImage,
} from './canaryPlan';
import { describeCanaryIntent, parseCanaryIntent } from './parseCanaryIntent';

const stable = (replicas = 4) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'checkout',
    namespace: 'shop',
    uid: 'u1',
    generation: 3,
    labels: { app: 'checkout', 'backstage.io/kubernetes-id': 'checkout' },
  },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'checkout' } },
    strategy: { type: 'RollingUpdate' },
    template: {
      metadata: {
        labels: { app: 'checkout' },
        annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' },
      },
      spec: {
        containers: [
          { name: 'app', image: 'ghcr.io/acme/checkout:1.0.0@sha256:abc' },
          { name: 'proxy', image: 'envoy:1.30' },
        ],
      },
    },
  },
});

const request = (patch: object = {}) =>
  createCanaryPlanRequestSchema.parse({
    entityRef: 'component:default/checkout',
    target: { name: 'checkout' },
    image: 'v2',
    steps: [10, 50, 100],
    maxErrorRate: 0.01,
    maxP99LatencyMs: 500,
    ...patch,
  });

const generate = (patch: object = {}, replicas = 4) =>
  generateCanary({
    request: request(patch),
    stable: stable(replicas),
    target: { cluster: 'demo', namespace: 'shop', name: 'checkout' },
    planId: 'p1',
    queries: canaryQueries,
    defaults: { window: '30s' },
    now: new Date('2026-11-26T00:00:00Z'),
  });

describe('canary replicas', () => {
  it.each([
    [4, 10, 1, 20],
    [9, 10, 1, 10],
    [4, 50, 4, 50],
    [1, 10, 1, 50],
    [10, 25, 3, 23],
    [3, 100, 3, 50],
  ])('%i stable at %i%% → %i canary ≈ %i%% of pods', (s, percent, canary, share) => {
    expect(canaryReplicas(s, percent)).toBe(canary);
    expect(canaryShare(s, canary)).toBe(share);
  });
});

describe('resolveImage', () => {
  it.each([
    ['ghcr.io/acme/checkout:1.0.0', 'v2', 'ghcr.io/acme/checkout:v2'],
    ['ghcr.io/acme/checkout:1.0.0@sha256:abc', 'v2', 'ghcr.io/acme/checkout:v2'],
    ['localhost:5000/checkout', 'v2', 'localhost:5000/checkout:v2'],
    ['nginx', '1.27', 'nginx:1.27'],
    ['nginx:1.25', 'docker.io/library/nginx:1.27', 'docker.io/library/nginx:1.27'],
  ])('%s + %s → %s', (current, requested, expected) => {
    expect(resolveImage(current, requested)).toBe(expected);
  });
});

describe('generateCanary', () => {
  it('orders create, gates, scale, gates, promote, remove, then the rollback steps', () => {
    const { steps, params } = generate();
    expect(steps.map(s => `${s.phase}:${s.id}`)).toEqual([
      'rollout:create-canary',
      'rollout:gate-10-error-rate',
      'rollout:gate-10-p99-latency',
      'rollout:scale-canary-50',
      'rollout:gate-50-error-rate',
      'rollout:gate-50-p99-latency',
      'rollout:promote',
      'rollout:remove-canary',
      'rollback:rollback-restore-stable',
      'rollback:rollback-remove-canary',
    ]);
    expect(params).toMatchObject({
      image: 'ghcr.io/acme/checkout:v2',
      previousImage: 'ghcr.io/acme/checkout:1.0.0@sha256:abc',
      container: 'app',
      canaryName: 'checkout-canary',
      stableReplicas: 4,
      gates: 4,
      firstStepPercent: 10,
      firstStepActualPercent: 20,
    });
    expect(steps.find(s => s.id === 'scale-canary-50')?.diff).toEqual({
      before: { spec: { replicas: 1 } },
      after: { spec: { replicas: 4 } },
    });
    expect(steps.find(s => s.id === 'rollback-restore-stable')?.undoes).toEqual(['promote']);
    // Every action step carries its own risk, in words.
    const risks = Object.fromEntries(
      steps.filter(s => s.type === 'action').map(s => [s.id, s.risk?.level]),
    );
    expect(risks).toEqual({
      'create-canary': 'low',
      'scale-canary-50': 'medium',
      promote: 'medium',
      'remove-canary': 'low',
      'rollback-restore-stable': 'medium',
      'rollback-remove-canary': 'low',
    });
    expect(steps[0].risk?.reasons[0].message).toMatch(/about 20% of the pods/);
    expect(steps.find(s => s.id === 'rollback-remove-canary')?.undoes).toEqual(['create-canary']);
  });

  it('gates measure the canary with the expanded query and thresholds in base units', () => {
    const gate = generate().steps.find(s => s.id === 'gate-10-p99-latency')!;
    expect(gate.gate).toMatchObject({
      metric: 'p99 latency',
      operator: '<=',
      threshold: 0.5,
      unit: 'seconds',
      delaySeconds: 30,
      samples: 3,
    });
    expect(gate.gate!.query).toContain('deployment="checkout-canary"');
    expect(gate.gate!.query).toContain('namespace="shop"');
    expect(gate.gate!.query).toContain('[30s]');
    expect(gate.title).toBe("Check the canary's p99 latency at 10% (≤ 500 ms)");
  });

  it('skips a scale step that would not change the canary, and asks for confirmation when told', () => {
    const { steps } = generate({ steps: [10, 40, 100], confirmPromotion: true }, 1);
    expect(steps.map(s => s.id)).toEqual([
      'create-canary',
      'gate-10-error-rate',
      'gate-10-p99-latency',
      'gate-40-error-rate',
      'gate-40-p99-latency',
      'confirm-promotion',
      'promote',
      'remove-canary',
      'rollback-restore-stable',
      'rollback-remove-canary',
    ]);
  });

  it('without thresholds there are no gates', () => {
    const { steps, params } = generate({ maxErrorRate: undefined, maxP99LatencyMs: undefined });
    expect(steps.filter(s => s.type === 'gate')).toEqual([]);
    expect(params.gates).toBe(0);
  });

  it('promotes only the image of the chosen container', () => {
    const { promoted } = generate({ container: 'proxy', image: '1.31' });
    const images = promoted.spec.template.spec.containers.map((c: any) => c.image);
    expect(images).toEqual(['ghcr.io/acme/checkout:1.0.0@sha256:abc', 'envoy:1.31']);
  });

  it.each([
    [{ container: 'sidecar' }, 4, /has no container 'sidecar'; its containers are: app, proxy/],
    [{ image: 'ghcr.io/acme/checkout:1.0.0@sha256:abc' }, 4, /already runs/],
    [{}, 0, /scaled to zero/],
  ])('refuses %j with %i replicas', (patch, replicas, message) => {
    expect(() => generate(patch, replicas)).toThrow(message);
  });
});

describe('buildCanaryObject', () => {
  it('copies the pod template with the new image and a track label on selector and pods', () => {
    const canary = buildCanaryObject(stable(), {
      name: 'checkout-canary',
      planId: 'p1',
      container: 'app',
      image: 'ghcr.io/acme/checkout:v2',
      replicas: 2,
    });
    expect(canary.metadata).toMatchObject({
      name: 'checkout-canary',
      namespace: 'shop',
      labels: { app: 'checkout', 'kubecopilot.io/track': 'canary' },
      annotations: { 'kubecopilot.io/plan-id': 'p1', 'kubecopilot.io/canary-of': 'checkout' },
    });
    expect(canary.metadata?.uid).toBeUndefined();
    expect(canary.spec.selector.matchLabels).toEqual({
      app: 'checkout',
      'kubecopilot.io/track': 'canary',
    });
    expect(canary.spec.template.metadata.labels).toEqual({
      app: 'checkout',
      'kubecopilot.io/track': 'canary',
    });
    expect(canary.spec.template.metadata.annotations).toEqual({});
    expect(canary.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/checkout:v2');
    expect(canary.spec.strategy).toEqual({ type: 'RollingUpdate' });
    expect(canary.spec.replicas).toBe(2);
  });

  it('keeps names short enough for pod names', () => {
    expect(canaryName('a'.repeat(60))).toBe(`${'a'.repeat(40)}-canary`);
  });
});

describe('parseCanaryIntent', () => {
  it('reads the issue example', () => {
    expect(
      parseCanaryIntent(
        'canary checkout to image v2 at 10%, then 50%, then 100%, rollback if error rate > 1% or p99 > 500 ms',
      ),
    ).toEqual({
      target: { name: 'checkout' },
      image: 'v2',
      steps: [10, 50, 100],
      maxErrorRate: 0.01,
      maxP99LatencyMs: 500,
      confirmPromotion: false,
    });
  });

  it.each([
    [
      'Canary release checkout with ghcr.io/acme/checkout:2.4.0 at 5% then 25%; roll back when errors exceed 0.5% and confirm before promotion',
      { image: 'ghcr.io/acme/checkout:2.4.0', steps: [5, 25], maxErrorRate: 0.005, confirmPromotion: true },
    ],
    ['canary checkout to 2.4.0', { image: '2.4.0', steps: [10, 50, 100] }],
    ['canary checkout to v3 at 20%, abort if p99 above 1.5 s', { steps: [20], maxP99LatencyMs: 1500 }],
  ])('reads %s', (intent, expected) => {
    expect(parseCanaryIntent(intent)).toMatchObject(expected);
  });

  it('says what it understood', () => {
    expect(
      describeCanaryIntent(
        parseCanaryIntent('canary checkout to v3 at 20%, 60%, confirm before promotion')!,
      ),
    ).toBe('canary of Deployment checkout to v3 at 20% → 60%, with no metric gate, confirming before promotion');
  });

  it.each(['restart checkout', 'scale checkout to 5', 'what is a canary?'])(
    'leaves %s to the other parsers',
    intent => {
      expect(parseCanaryIntent(intent)).toBeUndefined();
    },
  );
});
