import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { plan, workloadsResponse } from '../testUtils/fixtures';
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
});
