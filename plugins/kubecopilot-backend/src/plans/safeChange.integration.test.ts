/**
 * The breaks of "every write is the change a human reviewed" that were found
 * by trying the demo as a user, each reproduced through the real HTTP API
 * against the demo cluster: risk on the effective change, exact writes
 * (values the redactor masks), credentials refused, revert as a change.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { CHECKOUT, shopStack } from '../__testUtils__/demoBackend';

jest.setTimeout(120_000);

const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');

describe('safe change through the HTTP API', () => {
  const stack = shopStack();
  const { writes, deployment, createPlan, act } = stack;
  const update = (params: object) =>
    createPlan(alice, {
      entityRef: CHECKOUT,
      action: 'update',
      resource: { kind: 'Deployment', name: 'checkout' },
      params,
    });

  it('scores replicas 0 through update as high as scale to 0, and its requester cannot approve it', async () => {
    const res = await update({ replicas: 0 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      action: 'update',
      risk: { level: 'high' },
      requiresSecondApprover: true,
    });
    expect(res.body.risk.rationale).toContain('[scale-to-zero]');
    const self = await act(alice, res.body.id, 'approve');
    expect(self.status).toBe(403);
    expect(self.body.error.message).toMatch(/second person/);
    await act(bob, res.body.id, 'reject', { comment: 'no' });
  });

  it.each([
    ['update', { replicas: -3 }, /replicas cannot be negative/],
    ['update', { replicas: 2.5 }, /whole number/],
    ['update', { replicas: 5000 }, /replicas cannot exceed 1000/],
    ['scale', { replicas: -3 }, /replicas cannot be negative/],
    ['restart', { replicas: 0 }, /invalid parameters for restart/],
    [
      'update',
      { containers: { checkout: { command: ['sh'] } } },
      /invalid parameters for update/,
    ],
  ])(
    'refuses %s with %j (400) and writes nothing',
    async (action, params, message) => {
      const res = await createPlan(alice, {
        entityRef: CHECKOUT,
        action,
        resource: { kind: 'Deployment', name: 'checkout' },
        params,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(writes).toEqual([]);
    },
  );

  it('writes an image whose name the redactor masks exactly as asked, and reverts it exactly', async () => {
    const before = deployment().spec.template.spec.containers[0].image;
    const image = 'registry.local/vault-token:1.3';
    const { body: plan, status } = await update({
      containers: { checkout: { image } },
    });
    expect(status).toBe(201);
    // What is stored and shown stays redacted…
    expect(JSON.stringify(plan.diff)).not.toContain(image);
    await act(bob, plan.id, 'approve');
    const executed = await act(bob, plan.id, 'execute');
    expect(executed.body.error).toBeUndefined();
    expect(executed.body.status).toBe('executed');
    // …and the cluster receives exactly the intended value.
    expect(deployment().spec.template.spec.containers[0].image).toBe(image);

    const reverted = await act(alice, plan.id, 'revert');
    expect(reverted.body.error).toBeUndefined();
    expect(reverted.status).toBe(200);
    expect(reverted.body.status).toBe('reverted');
    expect(deployment().spec.template.spec.containers[0].image).toBe(before);
  });

  it('refuses an env value that looks like a credential, and stores nothing', async () => {
    const res = await update({
      containers: {
        checkout: {
          env: {
            CART_URL: 'https://admin:hunter2@cart.shop.svc.cluster.local',
          },
        },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /looks like a credential.*secretKeyRef/,
    );
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    const { body: list } = await request(stack.server())
      .get(`/api/kubecopilot/plans?entityRef=${CHECKOUT}`)
      .set('authorization', alice);
    expect(JSON.stringify(list)).not.toContain('hunter2');
    expect(writes).toEqual([]);
  });

  it('sets a plain env value exactly, and a drift the redacted diff cannot show still aborts', async () => {
    const { body: plan } = await update({
      containers: { checkout: { env: { NODE_ENV: 'staging' } } },
    });
    expect(plan.params).toMatchObject({
      containers: { checkout: { env: { NODE_ENV: 'staging' } } },
      previous: {
        containers: { checkout: { env: { NODE_ENV: 'production' } } },
      },
    });
    await act(bob, plan.id, 'approve');
    // Someone rotates a secret-looking argument: both values redact alike.
    const kc = await import('@kubernetes/client-node');
    const config = new kc.KubeConfig();
    config.loadFromString(stack.cluster().kubeconfig());
    const apps = config.makeApiClient(kc.AppsV1Api);
    await apps.patchNamespacedDeployment({
      name: 'checkout',
      namespace: 'shop',
      body: [
        {
          op: 'add',
          path: '/metadata/annotations',
          value: { 'example.com/owner': 'team-shop' },
        },
      ],
    });
    writes.length = 0;
    // An annotation is metadata, not spec: no drift, the write goes through.
    const executed = await act(bob, plan.id, 'execute');
    expect(executed.body.error).toBeUndefined();
    const env = deployment().spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'NODE_ENV').value).toBe('staging');

    // Now the hidden drift: a token in an argument changes to another token.
    const { body: second } = await update({
      containers: { checkout: { env: { NODE_ENV: 'production' } } },
    });
    await act(bob, second.id, 'approve');
    await apps.patchNamespacedDeployment({
      name: 'checkout',
      namespace: 'shop',
      body: [
        {
          op: 'add',
          path: '/spec/template/spec/containers/0/args',
          value: ['--api-token=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
        },
      ],
    });
    const { body: third } = await update({
      containers: { checkout: { env: { NODE_ENV: 'production' } } },
    });
    await act(bob, third.id, 'approve');
    await apps.patchNamespacedDeployment({
      name: 'checkout',
      namespace: 'shop',
      body: [
        {
          op: 'replace',
          path: '/spec/template/spec/containers/0/args',
          value: ['--api-token=ghp_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'],
        },
      ],
    });
    writes.length = 0;
    const refused = await act(bob, third.id, 'execute');
    expect(refused.status).toBe(409);
    // The redacted diffs of both versions are identical; the generation
    // and the unredacted spec hash (unit-tested in changes/) still see it.
    expect(refused.body.error.message).toMatch(
      /changed since the plan was made \(metadata.generation/,
    );
    expect(writes).toEqual([]);
    // The plan made before the argument existed sees a visible drift.
    expect((await act(bob, second.id, 'execute')).status).toBe(409);
    // Clean up for the other tests.
    await apps.patchNamespacedDeployment({
      name: 'checkout',
      namespace: 'shop',
      body: [
        { op: 'remove', path: '/spec/template/spec/containers/0/args' },
        {
          op: 'replace',
          path: '/spec/template/spec/containers/0/env/0/value',
          value: 'production',
        },
      ],
    });
  });

  it('lets the requester revert a low-risk change alone, with the revert risk in the audit', async () => {
    const replicas = deployment().spec.replicas;
    const { body: plan } = await createPlan(alice, {
      entityRef: CHECKOUT,
      intent: `scale checkout to ${replicas + 1}`,
    });
    expect(plan.risk.level).toBe('low');
    await act(alice, plan.id, 'approve');
    await act(alice, plan.id, 'execute');
    const reverted = await act(alice, plan.id, 'revert');
    expect(reverted.status).toBe(200);
    expect(reverted.body.status).toBe('reverted');
    expect(deployment().spec.replicas).toBe(replicas);
    const { body: trail } = await request(stack.server())
      .get(`/api/kubecopilot/audit?planId=${plan.id}`)
      .set('authorization', alice);
    const started = trail.items.find(
      (e: any) => e.action === 'plan.revert-started',
    );
    expect(started.payload).toMatchObject({ risk: 'low' });
  });
});
