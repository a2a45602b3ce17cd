/**
 * The other fix that fixes, through the real HTTP API against the demo
 * cluster: checkout 2.3.1 exits because PAYMENT_GATEWAY_URL is not set; the
 * diagnosis offers an update that asks for the value, and the plan made with
 * the value a person typed, approved and executed, leaves 2.3.1 1/1 ready;
 * its revert removes the variable again.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  CHECKOUT,
  readyPodImages,
  shopStack,
  until,
} from '../__testUtils__/demoBackend';

jest.setTimeout(120_000);

const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');
const IMAGE = 'ghcr.io/kubecopilot-demo/checkout:2.3.1';

describe('setting the variable a crash names, through the HTTP API', () => {
  const stack = shopStack();
  const { writes, deployment, createPlan, act } = stack;
  const envOf = (object: any) =>
    object?.spec?.template?.spec?.containers?.[0]?.env ?? [];

  it('drafts the update with the typed value, refuses a credential, and the executed plan leaves checkout 1/1 ready', async () => {
    const diagnosis = await request(stack.server())
      .post('/api/kubecopilot/diagnoses')
      .set('authorization', alice)
      .send({ entityRef: CHECKOUT });
    expect(diagnosis.status).toBe(200);
    const fix = diagnosis.body.recommendations.find(
      (r: any) => r.action === 'update',
    );
    expect(fix).toMatchObject({
      title: 'Set PAYMENT_GATEWAY_URL on Deployment checkout.',
      target: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
      params: {},
      asks: [
        {
          kind: 'env',
          container: 'checkout',
          name: 'PAYMENT_GATEWAY_URL',
          path: ['containers', 'checkout', 'env', 'PAYMENT_GATEWAY_URL'],
        },
      ],
    });
    const draft = (value: string) =>
      createPlan(alice, {
        entityRef: CHECKOUT,
        action: fix.action,
        resource: fix.target,
        params: {
          containers: { checkout: { env: { PAYMENT_GATEWAY_URL: value } } },
        },
        rationale: fix.title,
      });

    // The fix's params alone (a client that ignores `asks`) change nothing.
    const empty = await createPlan(alice, {
      entityRef: CHECKOUT,
      action: fix.action,
      resource: fix.target,
      params: fix.params,
    });
    expect(empty.status).toBe(400);
    // A value with a credential in it never reaches a plan.
    const secret = await draft(
      'https://shop:s3cr3t-passw0rd@payments.example.com',
    );
    expect(secret.status).toBe(400);
    expect(secret.body.error.message).toContain('looks like a credential');

    const { status, body: plan } = await draft(
      'https://payments.shop.svc:8443',
    );
    expect(plan.error).toBeUndefined();
    expect(status).toBe(201);
    expect(envOf(plan.diff.after)).toContainEqual({
      name: 'PAYMENT_GATEWAY_URL',
      value: 'https://payments.shop.svc:8443',
    });
    expect(envOf(plan.diff.before)).not.toContainEqual(
      expect.objectContaining({ name: 'PAYMENT_GATEWAY_URL' }),
    );
    expect(writes).toEqual([]);

    expect((await act(bob, plan.id, 'approve')).status).toBe(200);
    const executed = await act(bob, plan.id, 'execute');
    expect(executed.body.error).toBeUndefined();
    expect(executed.body.status).toBe('executed');

    // Same image, now configured: the new ReplicaSet's pod comes up Ready.
    await until('checkout is 1/1 ready on 2.3.1', () => {
      const d = deployment();
      const ready = readyPodImages(stack.cluster(), 'checkout');
      return (
        d.status?.readyReplicas === 1 &&
        d.status?.updatedReplicas === 1 &&
        ready.length === 1 &&
        ready[0] === IMAGE
      );
    });
    const after = await request(stack.server())
      .post('/api/kubecopilot/diagnoses')
      .set('authorization', alice)
      .send({ entityRef: CHECKOUT });
    expect(after.status).toBe(200);
    expect(
      after.body.findings.filter((f: any) => f.severity !== 'info'),
    ).toEqual([]);

    // The revert removes the variable it added (a strategic-merge delete).
    writes.length = 0;
    const reverted = await act(alice, plan.id, 'revert');
    expect(reverted.body.error).toBeUndefined();
    expect(reverted.body.status).toBe('reverted');
    expect(writes).toEqual([
      'PATCH /apis/apps/v1/namespaces/shop/deployments/checkout',
    ]);
    expect(envOf(deployment())).toEqual(envOf(plan.diff.before));
  });
});
