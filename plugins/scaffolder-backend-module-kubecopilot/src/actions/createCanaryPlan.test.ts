import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createKubecopilotCanaryPlanAction } from './createCanaryPlan';

const server = setupServer();
registerMswTestHooks(server);

const step = (id: string, phase: 'rollout' | 'rollback', type = 'action') => ({
  id,
  type,
  phase,
  title: id,
  status: 'pending',
});

const plan = {
  id: '7a0f7b8e-1d5a-4a43-9a8e-0b1f3f1d2c11',
  entityRef: 'component:default/checkout',
  status: 'pending',
  action: 'canary',
  resource: {
    cluster: 'demo',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'checkout',
  },
  params: { image: 'ghcr.io/acme/checkout:2.4.0' },
  diff: { before: { spec: {} }, after: { spec: {} } },
  risk: {
    level: 'medium',
    rationale: 'medium: [canary-promotes-image] …',
    reasons: [],
  },
  aiRationale: 'Canary release …',
  audit: {
    requestedBy: 'user:default/mock',
    confirmedBy: null,
    executedBy: null,
    timestamps: {
      createdAt: '2026-11-26T02:00:00.000Z',
      confirmedAt: null,
      executedAt: null,
      failedAt: null,
      revertedAt: null,
    },
  },
  steps: [
    step('create-canary', 'rollout'),
    step('gate-10-error-rate', 'rollout', 'gate'),
    step('promote', 'rollout'),
    step('remove-canary', 'rollout'),
    step('rollback-remove-canary', 'rollback'),
  ],
};

describe('kubecopilot:plan:create-canary', () => {
  const action = createKubecopilotCanaryPlanAction({
    discovery: mockServices.discovery(),
    auth: mockServices.auth(),
  });
  const input = {
    entityRef: 'component:default/checkout',
    workload: 'checkout',
    namespace: 'shop',
    image: '2.4.0',
    steps: [10, 50, 100],
    maxErrorRatePercent: 1,
    maxP99LatencyMs: 500,
    confirmPromotion: true,
  };

  it('drafts the canary as the user who runs the template, the error rate as a ratio', async () => {
    let seen: { body: unknown; auth: string | null } | undefined;
    server.use(
      http.post(
        'http://localhost:0/api/kubecopilot/plans/canary',
        async ({ request }) => {
          seen = {
            body: await request.json(),
            auth: request.headers.get('authorization'),
          };
          return HttpResponse.json(plan, { status: 201 });
        },
      ),
    );
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(seen?.body).toEqual({
      entityRef: 'component:default/checkout',
      target: { name: 'checkout', namespace: 'shop' },
      image: '2.4.0',
      steps: [10, 50, 100],
      maxErrorRate: 0.01,
      maxP99LatencyMs: 500,
      confirmPromotion: true,
    });
    expect(seen?.auth).toBe(
      `Bearer mock-service-token:${JSON.stringify({
        obo: 'user:default/mock',
        target: 'kubecopilot',
      })}`,
    );
    expect(ctx.output).toHaveBeenCalledWith('planId', plan.id);
    expect(ctx.output).toHaveBeenCalledWith(
      'planUrl',
      `/kubecopilot/inbox?plan=${plan.id}`,
    );
    expect(ctx.output).toHaveBeenCalledWith('riskLevel', 'medium');
    expect(ctx.output).toHaveBeenCalledWith('status', 'pending');
    expect(ctx.output).toHaveBeenCalledWith('steps', 4);
  });

  it.each([
    [{ steps: [50, 10] }, /steps: steps must increase/],
    [
      { image: 'not an image!' },
      /image: image must be an image reference or a tag/,
    ],
    [
      { analysis: { window: 'forever' } },
      /analysis.window: window must look like/,
    ],
  ])(
    'refuses %j before calling the backend, even in a dry run',
    async (patch, message) => {
      const calls: string[] = [];
      server.use(
        http.post(
          'http://localhost:0/api/kubecopilot/plans/canary',
          ({ request }) => {
            calls.push(request.url);
            return HttpResponse.json(plan, { status: 201 });
          },
        ),
      );
      await expect(
        action.handler(
          createMockActionContext({ input: { ...input, ...patch } }),
        ),
      ).rejects.toThrow(message);
      await expect(
        action.handler({
          ...createMockActionContext({ input: { ...input, ...patch } }),
          isDryRun: true,
        }),
      ).rejects.toThrow(message);
      expect(calls).toEqual([]);
    },
  );

  it('fails the step with the backend message when the plan is refused', async () => {
    server.use(
      http.post('http://localhost:0/api/kubecopilot/plans/canary', () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message:
                "The canary's gates need Prometheus, and none is configured for cluster demo",
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    await expect(
      action.handler(createMockActionContext({ input })),
    ).rejects.toThrow(
      /KubeCopilot did not draft the plan: The canary's gates need Prometheus/,
    );
  });

  it('drafts nothing in a dry run', async () => {
    const calls: string[] = [];
    server.use(
      http.post(
        'http://localhost:0/api/kubecopilot/plans/canary',
        ({ request }) => {
          calls.push(request.url);
          return HttpResponse.json(plan, { status: 201 });
        },
      ),
    );
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expect(calls).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('planId', 'dry-run');
  });

  it('reuses the plan of an earlier attempt (checkpoint) instead of drafting twice', async () => {
    let drafted = 0;
    server.use(
      http.post('http://localhost:0/api/kubecopilot/plans/canary', () => {
        drafted += 1;
        return HttpResponse.json(plan, { status: 201 });
      }),
    );
    const state: Record<string, unknown> = {};
    const checkpoint = async ({
      key,
      fn,
    }: {
      key: string;
      fn: () => Promise<any>;
    }) => {
      if (!(key in state)) state[key] = await fn();
      return state[key] as any;
    };
    await action.handler({
      ...createMockActionContext({ input }),
      checkpoint,
    } as any);
    await action.handler({
      ...createMockActionContext({ input }),
      checkpoint,
    } as any);
    expect(drafted).toBe(1);
  });
});
