import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createKubecopilotPlanAction } from './createPlan';

const server = setupServer();
registerMswTestHooks(server);

const plan = {
  id: '5f0f7b8e-1d5a-4a43-9a8e-0b1f3f1d2c11',
  entityRef: 'component:default/checkout',
  status: 'pending',
  action: 'scale',
  resource: {
    cluster: 'demo',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'checkout',
  },
  params: { replicas: 5 },
  diff: { before: { spec: { replicas: 2 } }, after: { spec: { replicas: 5 } } },
  risk: {
    level: 'medium',
    rationale: 'medium: [scale-up-by-more-than-double] …',
    reasons: [],
  },
  aiRationale: 'Requested as "scale checkout to 5".',
  audit: {
    requestedBy: 'user:default/alice',
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
};

describe('kubecopilot:plan:create', () => {
  const action = createKubecopilotPlanAction({
    discovery: mockServices.discovery(),
    auth: mockServices.auth(),
  });
  const input = {
    entityRef: 'component:default/checkout',
    intent: 'scale checkout to 5',
  };

  it('drafts the plan as the user who runs the template and outputs its link', async () => {
    let seen: { body: unknown; auth: string | null } | undefined;
    server.use(
      http.post(
        'http://localhost:0/api/kubecopilot/plans',
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
    expect(seen?.body).toEqual(input);
    // An on-behalf-of token for the kubecopilot plugin, carrying the user
    // who runs the template.
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
  });

  it('fails the step with the backend message when the plan is refused', async () => {
    server.use(
      http.post('http://localhost:0/api/kubecopilot/plans', () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message:
                "KubeCopilot will not plan this: the action 'delete' is not allowed on Deployment",
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    await expect(
      action.handler(
        createMockActionContext({
          input: { ...input, intent: 'delete deployment checkout' },
        }),
      ),
    ).rejects.toThrow(/not allowed on Deployment/);
  });

  it('drafts nothing in a dry run', async () => {
    const calls: string[] = [];
    server.use(
      http.post('http://localhost:0/api/kubecopilot/plans', ({ request }) => {
        calls.push(request.url);
        return HttpResponse.json(plan, { status: 201 });
      }),
    );
    // The mock context ignores isDryRun, so set it on the context itself.
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expect(calls).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('status', 'dry-run');
  });
});
