/**
 * The fix that fixes, through the real HTTP API against the demo cluster:
 * checkout crash-loops on 2.3.1 and keeps its 2.2.0 ReplicaSet; "roll back
 * checkout" drafts a plan to 2.2.0 that, approved and executed, leaves
 * checkout 1/1 ready; its revert puts 2.3.1 back.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  CHECKOUT,
  readyPodImages,
  shopStack,
  until,
} from '../__testUtils__/demoBackend';
import {
  fakeLlmConfig,
  startFakeLlm,
} from '../resilience/__testUtils__/fakeLlm';

jest.setTimeout(120_000);

const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');
const IMAGE = 'ghcr.io/kubecopilot-demo/checkout';

describe('rollback through the HTTP API', () => {
  const stack = shopStack();
  const { writes, deployment, createPlan, act } = stack;
  const image = (object: any) =>
    object?.spec?.template?.spec?.containers?.[0]?.image;

  /** Ready pods of checkout, by image. */
  const readyPods = () => readyPodImages(stack.cluster(), 'checkout');

  it('reads "roll back checkout to 2.2.0" as the revision that ran 2.2.0, and says which revisions ran what when none did', async () => {
    const byTag = await createPlan(alice, {
      entityRef: CHECKOUT,
      intent: 'roll back checkout to 2.2.0',
    });
    expect(byTag.status).toBe(201);
    expect(byTag.body).toMatchObject({
      action: 'rollback',
      params: { toRevision: 1 },
      rationaleSource: 'rules',
    });
    expect(byTag.body.params).not.toHaveProperty('toImage');
    expect(image(byTag.body.diff.after)).toBe(`${IMAGE}:2.2.0`);
    const unknown = await createPlan(alice, {
      entityRef: CHECKOUT,
      intent: 'roll back checkout to version 2.1.9',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe(
      `no revision of checkout ran 2.1.9; its revisions are 1 (${IMAGE}:2.2.0), 2 (${IMAGE}:2.3.1)`,
    );
    expect(writes).toEqual([]);
  });

  it('refuses an unknown revision with the ones there are, and a workload without history', async () => {
    const unknown = await createPlan(alice, {
      entityRef: CHECKOUT,
      intent: 'rollback checkout to revision 9',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe(
      'checkout has no revision 9; its revisions are 1, 2 (current)',
    );
    const none = await createPlan(alice, {
      entityRef: 'component:default/storefront',
      intent: 'roll back storefront',
    });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toBe(
      'storefront has no earlier revision to roll back to',
    );
    expect(writes).toEqual([]);
  });

  it('rolls crash-looping checkout back to 2.2.0, which comes up 1/1 ready, and the revert puts 2.3.1 back', async () => {
    expect(image(deployment())).toBe(`${IMAGE}:2.3.1`);
    expect(deployment().status.readyReplicas ?? 0).toBe(0);

    // The diagnosis recommends the rollback first, as a plan in one click.
    const diagnosis = await request(stack.server())
      .post('/api/kubecopilot/diagnoses')
      .set('authorization', alice)
      .send({ entityRef: CHECKOUT });
    expect(diagnosis.status).toBe(200);
    const [first] = diagnosis.body.recommendations;
    expect(first).toMatchObject({
      action: 'rollback',
      target: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
      params: { toRevision: 1 },
    });
    expect(first.detail).toContain(`revision 1 (${IMAGE}:2.2.0)`);
    const { body: plan, status } = await createPlan(alice, {
      entityRef: CHECKOUT,
      action: first.action,
      resource: {
        kind: first.target.kind,
        namespace: first.target.namespace,
        name: first.target.name,
      },
      params: first.params,
    });
    expect(status).toBe(201);
    expect(plan).toMatchObject({
      action: 'rollback',
      resource: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
      params: { toRevision: 1 },
      risk: { level: 'medium' },
    });
    expect(image(plan.diff.before)).toBe(`${IMAGE}:2.3.1`);
    expect(image(plan.diff.after)).toBe(`${IMAGE}:2.2.0`);
    expect(plan.diff.after.spec.template.metadata.labels).not.toHaveProperty(
      'pod-template-hash',
    );
    expect(plan.risk.rationale).toContain('[rollback-replaces-template]');
    expect(plan.risk.rationale).toContain(
      `image of checkout: ${IMAGE}:2.3.1 → ${IMAGE}:2.2.0`,
    );
    expect(writes).toEqual([]);

    expect((await act(bob, plan.id, 'approve')).status).toBe(200);
    const executed = await act(bob, plan.id, 'execute');
    expect(executed.body.error).toBeUndefined();
    expect(executed.body.status).toBe('executed');
    expect(writes).toEqual([
      'PATCH /apis/apps/v1/namespaces/shop/deployments/checkout',
    ]);
    expect(image(deployment())).toBe(`${IMAGE}:2.2.0`);

    // The deployment controller takes the 2.2.0 ReplicaSet back into use.
    await until('checkout is 1/1 ready on 2.2.0', () => {
      const d = deployment();
      return (
        d.status?.readyReplicas === 1 &&
        d.status?.updatedReplicas === 1 &&
        readyPods().every(i => i === `${IMAGE}:2.2.0`) &&
        readyPods().length === 1
      );
    });
    expect(
      deployment().metadata.annotations['deployment.kubernetes.io/revision'],
    ).toBe('3');

    writes.length = 0;
    const reverted = await act(alice, plan.id, 'revert');
    expect(reverted.body.error).toBeUndefined();
    expect(reverted.status).toBe(200);
    expect(reverted.body.status).toBe('reverted');
    expect(writes).toEqual([
      'PATCH /apis/apps/v1/namespaces/shop/deployments/checkout',
    ]);
    expect(image(deployment())).toBe(`${IMAGE}:2.3.1`);

    const { body: trail } = await request(stack.server())
      .get(`/api/kubecopilot/audit?planId=${plan.id}`)
      .set('authorization', alice);
    const started = trail.items.find(
      (e: any) => e.action === 'plan.revert-started',
    );
    expect(started.payload).toMatchObject({
      risk: 'medium',
      rules: expect.arrayContaining(['rollback-replaces-template']),
    });
  });
});

describe('rollback asked in words only the model reads', () => {
  let llm: Awaited<ReturnType<typeof startFakeLlm>>;
  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.stop());
  const stack = shopStack({
    config: () => ({
      kubecopilot: { llm: fakeLlmConfig(llm.baseUrl, { maxRetries: 0 }) },
    }),
  });
  const INTENT =
    "checkout broke after today's release, put back the build that worked";
  const answer = (params: object) => ({
    kind: 'plan',
    action: 'rollback',
    target: {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'checkout',
      cluster: 'demo',
    },
    params,
    rationale: 'the release before 2.3.1 ran; roll back to it',
  });

  it('drafts the rollback the model proposed, resolved against the live history', async () => {
    llm.set({ type: 'answer', content: answer({ toImage: '2.2.0' }) });
    const { status, body } = await stack.createPlan(alice, {
      entityRef: CHECKOUT,
      intent: INTENT,
    });
    expect(body.error).toBeUndefined();
    expect(status).toBe(201);
    expect(llm.calls).toHaveLength(1);
    expect(body).toMatchObject({
      status: 'pending',
      action: 'rollback',
      resource: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
      params: { toRevision: 1 },
      rationaleSource: 'llm',
      promptVersion: 'plan/v2',
      aiRationale: 'the release before 2.3.1 ran; roll back to it',
    });
    expect(body.diff.after.spec.template.spec.containers[0].image).toBe(
      `${IMAGE}:2.2.0`,
    );
    expect(stack.writes).toEqual([]);
  });

  it('refuses a tag the model made up, naming the revisions there are, and writes nothing', async () => {
    llm.set({ type: 'answer', content: answer({ toImage: '2.2.1' }) });
    const { status, body } = await stack.createPlan(alice, {
      entityRef: CHECKOUT,
      intent: INTENT,
    });
    expect(status).toBe(400);
    expect(body.error.message).toBe(
      `no revision of checkout ran 2.2.1; its revisions are 1 (${IMAGE}:2.2.0), 2 (${IMAGE}:2.3.1)`,
    );
    expect(stack.writes).toEqual([]);
  });
});
