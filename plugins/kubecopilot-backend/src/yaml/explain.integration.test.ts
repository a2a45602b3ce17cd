/**
 * The model's explanation of a manifest through the real HTTP API: the demo
 * cluster's checkout Deployment, a local server speaking the OpenAI chat
 * completions API. What the model says is shown only where it is grounded in
 * the manifest; the manifest reaches it masked and delimited as data.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { CHECKOUT, shopStack } from '../__testUtils__/demoBackend';
import {
  fakeLlmConfig,
  startFakeLlm,
} from '../resilience/__testUtils__/fakeLlm';

jest.setTimeout(120_000);

const alice = mockCredentials.user.header('user:default/alice');
const DEPLOYMENT = { kind: 'Deployment', name: 'checkout' };
const C = 'spec.template.spec.containers[0]';

describe('POST /yaml/explain with a model', () => {
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
  const post = (path: string, body: object) =>
    request(stack.server())
      .post(`/api/kubecopilot${path}`)
      .set('authorization', alice)
      .send({ entityRef: CHECKOUT, resource: DEPLOYMENT, ...body });

  /** The manifest as the YAML view shows it, with another replica count. */
  async function withReplicas(replicas: number): Promise<string> {
    const shown = await request(stack.server())
      .get('/api/kubecopilot/yaml/manifests')
      .query({ entityRef: CHECKOUT })
      .set('authorization', alice);
    return shown.body.items[0].manifest.replace(
      'replicas: 1',
      `replicas: ${replicas}`,
    );
  }

  it('says in the checks that the model can explain', async () => {
    const res = await post('/yaml/check', {});
    expect(res.status).toBe(200);
    expect(res.body.modelCanExplain).toBe(true);
  });

  it('shows the grounded points, leaves out one that cites a field the manifest does not have, and says why', async () => {
    llm.set({
      type: 'answer',
      content: {
        points: [
          {
            path: `${C}.image`,
            text: 'The image is pinned to a version tag, so a rollback to the previous ReplicaSet brings back exactly the build that ran.',
          },
          {
            path: 'spec.template.spec.containers[1].image',
            text: 'The sidecar image follows the main one.',
          },
        ],
      },
    });
    const res = await post('/yaml/explain', {});
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ok: true,
      resource: expect.objectContaining({
        name: 'checkout',
        kind: 'Deployment',
      }),
      points: [
        {
          path: `${C}.image`,
          text: 'The image is pinned to a version tag, so a rollback to the previous ReplicaSet brings back exactly the build that ran.',
        },
      ],
      dropped: [
        'spec.template.spec.containers[1].image: the manifest has no such field',
      ],
      model: 'fake-model',
      promptVersion: 'yaml-explain/v1',
    });
    // The model read the manifest as delimited data, with what the rules said.
    const user: string = llm.requests[0].messages.find(
      (m: any) => m.role === 'user',
    ).content;
    expect(user).toMatch(
      /<<<DATA-[0-9a-f]+\n[\s\S]*name: checkout[\s\S]*DATA-[0-9a-f]+>>>/,
    );
    expect(user).toContain('image: ghcr.io/kubecopilot-demo/checkout:2.3.1');
    expect(user).not.toContain('managedFields');
    expect(user).toContain('What the rules already said:');
  });

  it('explains the edited manifest, and refuses a point quoting a value it does not have', async () => {
    const manifest = await withReplicas(3);
    llm.set({
      type: 'answer',
      content: {
        points: [
          {
            path: 'spec.replicas',
            text: 'Three replicas (`replicas: 3`) survive one node drain.',
          },
          {
            path: 'spec.replicas',
            text: 'The memory limit of 4Gi leaves plenty of room.',
          },
        ],
      },
    });
    const res = await post('/yaml/explain', { manifest });
    expect(res.status).toBe(200);
    expect(res.body.points).toEqual([
      {
        path: 'spec.replicas',
        text: 'Three replicas (`replicas: 3`) survive one node drain.',
      },
    ]);
    expect(res.body.dropped).toEqual([
      'spec.replicas: says 4Gi, which is not in the manifest',
    ]);
  });

  it('answers ok: false with the reason when the model fails or makes nothing grounded, and never a 500', async () => {
    // Manifests no earlier test had explained (answers are cached).
    llm.set({ type: 'status', status: 503 });
    const failed = await post('/yaml/explain', {
      manifest: await withReplicas(2),
    });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ ok: false });
    expect(failed.body.reason).toMatch(
      /^the model did not answer usably \(server-error\)/,
    );

    llm.set({
      type: 'answer',
      content: { points: [{ path: 'spec.nonsense', text: 'Made up.' }] },
    });
    const ungrounded = await post('/yaml/explain', {
      manifest: await withReplicas(4),
    });
    expect(ungrounded.body).toEqual({
      ok: false,
      resource: expect.objectContaining({ name: 'checkout' }),
      reason:
        'every point the model made cited something the manifest does not have (spec.nonsense: the manifest has no such field)',
    });
  });

  it('asks the model once per manifest: the same manifest again is answered from the cache', async () => {
    const manifest = await withReplicas(5);
    llm.set({
      type: 'answer',
      content: {
        points: [{ path: 'spec.replicas', text: 'Five replicas.' }],
      },
    });
    const first = await post('/yaml/explain', { manifest });
    const second = await post('/yaml/explain', { manifest });
    expect(first.body.points).toEqual([
      { path: 'spec.replicas', text: 'Five replicas.' },
    ]);
    expect(second.body).toEqual(first.body);
    expect(llm.calls).toHaveLength(1);
  });
});

describe('POST /yaml/explain without a model', () => {
  const stack = shopStack();

  it('answers ok: false, and the checks say the model cannot explain', async () => {
    const post = (path: string) =>
      request(stack.server())
        .post(`/api/kubecopilot${path}`)
        .set('authorization', alice)
        .send({ entityRef: CHECKOUT, resource: DEPLOYMENT });
    expect((await post('/yaml/check')).body.modelCanExplain).toBe(false);
    const res = await post('/yaml/explain');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ok: false,
      resource: expect.objectContaining({ name: 'checkout' }),
      reason: 'no model is configured (kubecopilot.llm)',
    });
  });
});
