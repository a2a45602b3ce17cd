import { createBlueGreenPlanRequestSchema } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { canaryQueries } from '../prometheus/queries';
import { generateBlueGreen } from './blueGreenPlan';

const stable = (replicas = 3) => ({
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
    template: {
      metadata: { labels: { app: 'checkout', 'backstage.io/kubernetes-id': 'checkout' } },
      spec: { containers: [{ name: 'checkout', image: 'ghcr.io/kubecopilot-demo/checkout:2.3.1' }] },
    },
  },
});

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'checkout', namespace: 'shop', uid: 's1', resourceVersion: '40' },
  spec: {
    clusterIP: '10.96.88.203',
    ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
    selector: { app: 'checkout' },
    type: 'ClusterIP',
  },
};

const request = (patch: object = {}) =>
  createBlueGreenPlanRequestSchema.parse({
    entityRef: 'component:default/checkout',
    target: { name: 'checkout' },
    image: '2.4.0',
    maxErrorRate: 0.01,
    ...patch,
  });

const generate = (patch: object = {}, svc: any = service) =>
  generateBlueGreen({
    request: request(patch),
    stable: stable(),
    service: svc,
    blueHash: 'zfglkrn22',
    target: { cluster: 'demo', namespace: 'shop', name: 'checkout' },
    planId: 'p1',
    queries: canaryQueries,
    defaults: { delaySeconds: 30, intervalSeconds: 30, samples: 3, window: '1m' },
  });

describe('generateBlueGreen', () => {
  it('pins, creates green, gates it, switches, bakes, removes blue; rollback undoes in reverse', () => {
    const { steps } = generate({ confirmSwitch: true });
    expect(steps.map(s => `${s.phase}:${s.id}`)).toEqual([
      'rollout:pin-service',
      'rollout:create-green',
      'rollout:gate-error-rate',
      'rollout:confirm-switch',
      'rollout:switch-service',
      'rollout:bake-error-rate',
      'rollout:remove-blue',
      'rollback:rollback-restore-blue',
      'rollback:rollback-switch-back',
      'rollback:rollback-remove-green',
      'rollback:rollback-unpin-service',
    ]);
    expect(steps.find(s => s.id === 'rollback-switch-back')!.undoes).toEqual(['switch-service']);
    expect(steps.find(s => s.id === 'rollback-unpin-service')!.undoes).toEqual(['pin-service']);
  });

  it('keeps green off the Service until the switch, then selects green only', () => {
    const { steps, green } = generate();
    const pin = steps.find(s => s.id === 'pin-service')!;
    const sw = steps.find(s => s.id === 'switch-service')!;
    expect(pin.params).toEqual({ selector: { app: 'checkout', 'pod-template-hash': 'zfglkrn22' } });
    expect(sw.params).toEqual({
      selector: { app: 'checkout', 'kubecopilot.io/track': 'green' },
      requireAvailable: 'checkout-green',
    });
    // The switch's drift check compares the whole Service spec the pin left.
    expect(sw.diff!.before).toEqual({
      metadata: { uid: 's1' },
      spec: { ...service.spec, selector: pin.params!.selector },
    });
    const greenLabels = green.spec.template.metadata.labels;
    const selects = (selector: Record<string, string>) =>
      Object.entries(selector).every(([k, v]) => greenLabels[k] === v);
    expect(selects(pin.params!.selector as any)).toBe(false);
    expect(selects(sw.params!.selector as any)).toBe(true);
    expect(green).toMatchObject({
      metadata: { name: 'checkout-green', labels: { 'kubecopilot.io/track': 'green' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'checkout', 'kubecopilot.io/track': 'green' } },
      },
    });
    expect(green.spec.template.spec.containers[0].image).toBe('ghcr.io/kubecopilot-demo/checkout:2.4.0');
  });

  it('scores the switch high and scopes the gates to green', () => {
    const { steps } = generate({ maxP99LatencyMs: 500, bakeSeconds: 120 });
    expect(steps.find(s => s.id === 'switch-service')!.risk).toMatchObject({ level: 'high' });
    const gates = steps.filter(s => s.type === 'gate');
    expect(gates.map(g => g.id)).toEqual([
      'gate-error-rate',
      'gate-p99-latency',
      'bake-error-rate',
      'bake-p99-latency',
    ]);
    expect(gates.every(g => g.gate!.query.includes('deployment="checkout-green"'))).toBe(true);
    // The bake spans the bake time: delay + samples × interval.
    const bake = gates[2].gate!;
    expect(bake.delaySeconds + bake.samples * bake.intervalSeconds).toBe(120);
  });

  it('says when traffic moves and how to go back', () => {
    const { traffic } = generate();
    expect(traffic).toContain('Traffic moves once, at step "switch-service"');
    expect(traffic).toContain("after green's gates pass");
    expect(traffic).toContain('To go back:');
    expect(traffic).toContain('"Revert" scales checkout back to 3');
  });

  it('asks a person to confirm the bake when there is no gate', () => {
    const { steps } = generate({ maxErrorRate: undefined });
    expect(steps.filter(s => s.type === 'gate')).toEqual([]);
    expect(steps.map(s => s.id)).toContain('confirm-bake');
  });

  it('refuses a Deployment that is itself an earlier green', () => {
    const earlierGreen = stable();
    (earlierGreen.spec.template.metadata.labels as Record<string, string>)['kubecopilot.io/track'] = 'green';
    expect(() =>
      generateBlueGreen({
        request: request(),
        stable: earlierGreen,
        service,
        blueHash: 'h',
        target: { cluster: 'demo', namespace: 'shop', name: 'checkout-green' },
        planId: 'p2',
        queries: canaryQueries,
      }),
    ).toThrow('Deployment checkout-green was created by an earlier canary or blue-green');
  });

  it('refuses a Service that does not select the Deployment', () => {
    expect(() =>
      generate({}, { ...service, spec: { ...service.spec, selector: { app: 'storefront' } } }),
    ).toThrow('Service checkout does not select the pods of Deployment checkout (app=storefront)');
  });
});
