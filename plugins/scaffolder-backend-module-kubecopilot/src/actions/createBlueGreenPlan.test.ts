import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createKubecopilotBlueGreenPlanAction } from './createBlueGreenPlan';

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
  id: '0c9f4f0e-2b6a-4f1e-8d0a-5e3b9c7d1a22',
  entityRef: 'component:default/checkout',
  status: 'pending',
  action: 'blue-green',
  resource: {
    cluster: 'demo',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'checkout',
  },
  params: { image: 'ghcr.io/acme/checkout:2.4.0', greenName: 'checkout-green' },
  diff: { before: { spec: {} }, after: { spec: {} } },
  risk: {
    level: 'high',
    rationale:
      'high: [traffic-switch] the Service switch moves 100% of the traffic of checkout to the new image at once; …',
    reasons: [],
  },
  aiRationale: 'Blue-green release …',
  audit: {
    requestedBy: 'user:default/mock',
    confirmedBy: null,
    executedBy: null,
    timestamps: {
      createdAt: '2026-12-07T00:40:00.000Z',
      confirmedAt: null,
      executedAt: null,
      failedAt: null,
      revertedAt: null,
    },
  },
  steps: [
    step('pin-service', 'rollout'),
    step('create-green', 'rollout'),
    step('gate-error-rate', 'rollout', 'gate'),
    step('switch-service', 'rollout'),
    step('bake-error-rate', 'rollout', 'gate'),
    step('remove-blue', 'rollout'),
    step('rollback-switch-back', 'rollback'),
    step('rollback-remove-green', 'rollback'),
  ],
};

describe('kubecopilot:plan:create-blue-green', () => {
  const action = createKubecopilotBlueGreenPlanAction({
    discovery: mockServices.discovery(),
    auth: mockServices.auth(),
  });
  const input = {
    entityRef: 'component:default/checkout',
    workload: 'checkout',
    image: '2.4.0',
    maxErrorRatePercent: 1,
    confirmSwitch: true,
    bakeSeconds: 120,
  };

  it('drafts the blue-green as the user who runs the template, the error rate as a ratio', async () => {
    let seen: { body: unknown; auth: string | null } | undefined;
    server.use(
      http.post(
        'http://localhost:0/api/kubecopilot/plans/blue-green',
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
      target: { name: 'checkout' },
      image: '2.4.0',
      maxErrorRate: 0.01,
      confirmSwitch: true,
      bakeSeconds: 120,
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
    expect(ctx.output).toHaveBeenCalledWith('riskLevel', 'high');
    expect(ctx.output).toHaveBeenCalledWith('steps', 6);
  });

  it.each([
    [
      { image: 'not an image!' },
      /image: image must be an image reference or a tag/,
    ],
    [{ bakeSeconds: 7200 }, /bakeSeconds/],
  ])(
    'refuses %j before calling the backend, even in a dry run',
    async (patch, message) => {
      const calls: string[] = [];
      server.use(
        http.post(
          'http://localhost:0/api/kubecopilot/plans/blue-green',
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
      http.post('http://localhost:0/api/kubecopilot/plans/blue-green', () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message:
                'No Service in shop selects the pods of Deployment checkout; a blue-green switches a Service',
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
      /KubeCopilot did not draft the plan: No Service in shop selects the pods/,
    );
  });

  it('drafts nothing in a dry run, and once across retries', async () => {
    let drafted = 0;
    server.use(
      http.post('http://localhost:0/api/kubecopilot/plans/blue-green', () => {
        drafted += 1;
        return HttpResponse.json(plan, { status: 201 });
      }),
    );
    const dry = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(dry);
    expect(drafted).toBe(0);
    expect(dry.output).toHaveBeenCalledWith('planId', 'dry-run');
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
