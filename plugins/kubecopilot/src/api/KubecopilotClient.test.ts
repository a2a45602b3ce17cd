import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { plan, workloadsResponse } from '../__testUtils__/fixtures';
import { KubecopilotClient } from './KubecopilotClient';

const baseUrl = 'http://backstage.test/api/kubecopilot';
const server = setupServer();

describe('KubecopilotClient', () => {
  registerMswTestHooks(server);

  const client = new KubecopilotClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });

  it('gets the workloads of an entity', async () => {
    let requested: URL | undefined;
    server.use(
      http.get(`${baseUrl}/workloads`, ({ request }) => {
        requested = new URL(request.url);
        return HttpResponse.json(workloadsResponse());
      }),
    );

    await expect(
      client.getWorkloads('component:default/checkout'),
    ).resolves.toEqual(workloadsResponse());
    expect(requested?.searchParams.get('entityRef')).toBe(
      'component:default/checkout',
    );
  });

  it('turns a backend error into a ResponseError carrying its message', async () => {
    server.use(
      http.get(`${baseUrl}/workloads`, () =>
        HttpResponse.json(
          {
            error: { name: 'InputError', message: 'Malformed entityRef "x:"' },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );

    const error = await client.getWorkloads('x:').catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(400);
    expect(error.body.error).toEqual({
      name: 'InputError',
      message: 'Malformed entityRef "x:"',
    });
  });

  it('rejects a response that breaks the contract', async () => {
    server.use(
      http.get(`${baseUrl}/workloads`, () =>
        HttpResponse.json({ entityRef: 'component:default/checkout' }),
      ),
    );
    await expect(
      client.getWorkloads('component:default/checkout'),
    ).rejects.toThrow(/returned malformed workloads/);
  });

  it('lists plans with only the filters given', async () => {
    let requested: URL | undefined;
    server.use(
      http.get(`${baseUrl}/plans`, ({ request }) => {
        requested = new URL(request.url);
        return HttpResponse.json({ items: [plan()], nextCursor: 'next' });
      }),
    );

    const page = await client.listPlans({
      status: 'pending',
      cursor: 'abc',
      limit: 10,
    });
    expect(page.nextCursor).toBe('next');
    expect(page.items.map(p => p.id)).toEqual(['plan-1']);
    expect(Object.fromEntries(requested!.searchParams)).toEqual({
      status: 'pending',
      cursor: 'abc',
      limit: '10',
    });
  });

  it('pages through the audit log with an opaque cursor', async () => {
    let requested: URL | undefined;
    const entry = {
      id: 7,
      planId: 'plan-1',
      entityRef: 'component:default/checkout',
      actor: 'user:default/guest',
      action: 'plan.created',
      payload: {},
      createdAt: '2026-11-26T02:00:00.000Z',
      prevHash: '0'.repeat(64),
      hash: 'a'.repeat(64),
    };
    server.use(
      http.get(`${baseUrl}/audit`, ({ request }) => {
        requested = new URL(request.url);
        return HttpResponse.json({ items: [entry], nextCursor: 'older' });
      }),
    );

    await expect(
      client.getAudit({ planId: 'plan-1', cursor: 'abc', limit: 50 }),
    ).resolves.toEqual({ items: [entry], nextCursor: 'older' });
    expect(Object.fromEntries(requested!.searchParams)).toEqual({
      planId: 'plan-1',
      cursor: 'abc',
      limit: '50',
    });
  });

  it('gets one plan by id', async () => {
    server.use(
      http.get(`${baseUrl}/plans/:id`, ({ params }) =>
        params.id === 'plan/1'
          ? HttpResponse.json(plan({ id: 'plan/1' }))
          : HttpResponse.json(
              {
                error: { name: 'NotFoundError', message: 'no such plan' },
                response: { statusCode: 404 },
              },
              { status: 404 },
            ),
      ),
    );

    await expect(client.getPlan('plan/1')).resolves.toMatchObject({
      id: 'plan/1',
      status: 'pending',
    });
    await expect(client.getPlan('missing')).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
    });
  });
  it('drafts a canary plan', async () => {
    let sent: unknown;
    server.use(
      http.post(`${baseUrl}/plans/canary`, async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(plan({ action: 'canary', steps: [] }), {
          status: 201,
        });
      }),
    );
    const request = {
      entityRef: 'component:default/checkout',
      target: { name: 'checkout' },
      image: '2.4.0',
      steps: [10, 50, 100],
      maxErrorRate: 0.01,
      maxP99LatencyMs: 500,
      confirmPromotion: true,
    };
    await expect(client.createCanaryPlan(request)).resolves.toMatchObject({
      action: 'canary',
    });
    expect(sent).toEqual(request);
  });

  it('confirms and declines a step of a plan', async () => {
    const calls: Array<{ url: string; body: unknown }> = [];
    server.use(
      http.post(
        `${baseUrl}/plans/:id/steps/:stepId/:decision`,
        async ({ request }) => {
          calls.push({
            url: new URL(request.url).pathname,
            body: await request.json(),
          });
          return HttpResponse.json(plan({ status: 'executing' }));
        },
      ),
    );
    await client.confirmStep('plan/1', 'confirm-promotion');
    await client.confirmStep('plan-1', 'confirm-promotion', 'looks good');
    await client.declineStep('plan-1', 'confirm-promotion', 'p99 too high');
    expect(calls).toEqual([
      {
        url: '/api/kubecopilot/plans/plan%2F1/steps/confirm-promotion/confirm',
        body: {},
      },
      {
        url: '/api/kubecopilot/plans/plan-1/steps/confirm-promotion/confirm',
        body: { comment: 'looks good' },
      },
      {
        url: '/api/kubecopilot/plans/plan-1/steps/confirm-promotion/decline',
        body: { comment: 'p99 too high' },
      },
    ]);
  });

  it('turns a refused confirmation into a ResponseError', async () => {
    server.use(
      http.post(`${baseUrl}/plans/:id/steps/:stepId/confirm`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'a second person must confirm its steps',
            },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await expect(
      client.confirmStep('plan-1', 'confirm-promotion'),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 403 });
  });
});
