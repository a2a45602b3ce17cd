import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { withClusterAuth } from './clusterAuth';
import { KubernetesTimeoutError } from './errors';
import { HttpKubernetesBackendClient } from './HttpKubernetesBackendClient';

const BASE = 'http://localhost:0/api/kubernetes';
const DEPLOYMENT_PATH = '/apis/apps/v1/namespaces/shop/deployments/checkout';
const user = mockCredentials.user('user:default/alice');

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function createClient(timeoutMs = 1_000) {
  const auth = mockServices.auth({ pluginId: 'kubecopilot' });
  const client = new HttpKubernetesBackendClient({
    discovery: mockServices.discovery(),
    auth,
    timeoutMs,
    retryPolicy: {
      retries: 2,
      baseDelayMs: 1,
      maxDelayMs: 5,
      maxRetryAfterMs: 1_000,
    },
  });
  return { client, auth };
}

const userToken = `Bearer ${mockCredentials.service.token({
  onBehalfOf: user,
  targetPluginId: 'kubernetes',
})}`;

async function ownToken(auth: ReturnType<typeof mockServices.auth>) {
  return `Bearer ${mockCredentials.service.token({
    onBehalfOf: await auth.getOwnServiceCredentials(),
    targetPluginId: 'kubernetes',
  })}`;
}

/** The error a call failed with; fails the test if it succeeded. */
function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    error => error,
  );
}

const status = (code: number, reason: string, message: string) =>
  HttpResponse.json(
    {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason,
      message,
      code,
    },
    { status: code },
  );

describe('HttpKubernetesBackendClient', () => {
  describe('entity workloads and clusters', () => {
    it('queries the workloads of an entity on behalf of the user', async () => {
      const seen: Array<{ body: unknown; authorization: string | null }> = [];
      server.use(
        http.post(`${BASE}/resources/workloads/query`, async ({ request }) => {
          seen.push({
            body: await request.json(),
            authorization: request.headers.get('authorization'),
          });
          return HttpResponse.json({ items: [] });
        }),
      );
      const { client } = createClient();
      await expect(
        client.getObjectsByEntity('component:default/checkout', {
          credentials: user,
        }),
      ).resolves.toEqual({ items: [] });
      expect(seen).toEqual([
        {
          body: { entityRef: 'component:default/checkout', auth: {} },
          authorization: userToken,
        },
      ]);
    });

    it('lists clusters', async () => {
      server.use(
        http.get(`${BASE}/clusters`, () =>
          HttpResponse.json({
            items: [{ name: 'east', authProvider: 'serviceAccount' }],
          }),
        ),
      );
      const { client } = createClient();
      await expect(client.listClusters({ credentials: user })).resolves.toEqual(
        [{ name: 'east', authProvider: 'serviceAccount' }],
      );
    });
  });

  describe("the user's own cluster credentials", () => {
    const auth = { oidc: { okta: 'user-id-token' }, google: 'goog-token' };

    function recordEverything() {
      const seen: Array<{
        method: string;
        path: string;
        headers: Headers;
        body?: unknown;
      }> = [];
      const record = async ({ request }: { request: Request }) => {
        const url = new URL(request.url);
        seen.push({
          method: request.method,
          path: url.pathname.replace('/api/kubernetes', ''),
          headers: request.headers,
          body: request.method === 'GET' ? undefined : await request.json(),
        });
        return HttpResponse.json({ items: [] });
      };
      server.use(
        http.post(`${BASE}/resources/workloads/query`, record),
        http.get(`${BASE}/proxy/*`, record),
        http.patch(`${BASE}/proxy/*`, record),
      );
      return seen;
    }
    const authHeaders = (headers: Headers) =>
      [...headers.keys()].filter(h =>
        h.startsWith('backstage-kubernetes-authorization'),
      );

    async function readsAndAWrite(client: HttpKubernetesBackendClient) {
      await client.getObjectsByEntity('component:default/checkout', {
        credentials: user,
      });
      await client.read({
        cluster: 'east',
        path: DEPLOYMENT_PATH,
        credentials: user,
      });
      await client.readText({
        cluster: 'east',
        path: '/api/v1/namespaces/shop/pods/p/log',
        credentials: user,
      });
      await client.write({
        cluster: 'east',
        path: DEPLOYMENT_PATH,
        method: 'PATCH',
        patchType: 'merge',
        body: { spec: { replicas: 2 } },
      });
    }

    it('go with the reads of the request that sent them, never with a write', async () => {
      const seen = recordEverything();
      const { client } = createClient();
      const { result, end } = withClusterAuth(auth, () =>
        readsAndAWrite(client),
      );
      await result;
      end();

      expect(seen.map(s => `${s.method} ${s.path}`)).toEqual([
        'POST /resources/workloads/query',
        `GET /proxy${DEPLOYMENT_PATH}`,
        'GET /proxy/api/v1/namespaces/shop/pods/p/log',
        `PATCH /proxy${DEPLOYMENT_PATH}`,
      ]);
      expect(seen[0].body).toEqual({
        entityRef: 'component:default/checkout',
        auth,
      });
      for (const read of seen.slice(1, 3)) {
        expect(
          read.headers.get('backstage-kubernetes-authorization-oidc-okta'),
        ).toBe('user-id-token');
        expect(
          read.headers.get('backstage-kubernetes-authorization-google'),
        ).toBe('goog-token');
        // The bare header would reach any cluster as is.
        expect(
          read.headers.get('backstage-kubernetes-authorization'),
        ).toBeNull();
      }
      expect(authHeaders(seen[3].headers)).toEqual([]);
      expect(JSON.stringify(seen[3].body)).not.toContain('user-id-token');
    });

    it('are gone once the request ended, and absent from requests that sent none', async () => {
      const seen = recordEverything();
      const { client } = createClient();
      let later: Promise<void> = Promise.resolve();
      // Work started inside the request but running after it ended.
      const started = withClusterAuth(auth, () => {
        later = new Promise(resolve => setTimeout(resolve, 5)).then(() =>
          readsAndAWrite(client),
        );
      });
      started.end();
      await later;
      await readsAndAWrite(client);

      expect(seen).toHaveLength(8);
      for (const call of seen) {
        expect(authHeaders(call.headers)).toEqual([]);
      }
      expect(seen[0].body).toEqual({
        entityRef: 'component:default/checkout',
        auth: {},
      });
    });
  });

  describe('reads through the proxy', () => {
    it('reads an object in the named cluster as the user', async () => {
      let seen: Request | undefined;
      server.use(
        http.get(`${BASE}/proxy${DEPLOYMENT_PATH}`, ({ request }) => {
          seen = request;
          return HttpResponse.json({ kind: 'Deployment' });
        }),
      );
      const { client } = createClient();
      await expect(
        client.read({
          cluster: 'east',
          path: DEPLOYMENT_PATH,
          credentials: user,
        }),
      ).resolves.toEqual({ kind: 'Deployment' });
      expect(seen!.headers.get('backstage-kubernetes-cluster')).toBe('east');
      expect(seen!.headers.get('authorization')).toBe(userToken);
      expect(seen!.headers.get('accept')).toBe('application/json');
    });

    it('asks for metadata only', async () => {
      let accept: string | null = null;
      server.use(
        http.get(
          `${BASE}/proxy/apis/apps/v1/namespaces/shop/deployments`,
          ({ request }) => {
            accept = request.headers.get('accept');
            return HttpResponse.json({
              kind: 'PartialObjectMetadataList',
              items: [],
            });
          },
        ),
      );
      const { client } = createClient();
      await client.readMetadata({
        cluster: 'east',
        path: '/apis/apps/v1/namespaces/shop/deployments',
        credentials: user,
      });
      expect(accept).toMatch(
        /^application\/json;as=PartialObjectMetadataList;g=meta\.k8s\.io;v=v1,application\/json;as=PartialObjectMetadata;g=meta\.k8s\.io;v=v1/,
      );
    });

    it('reads logs as text with their query', async () => {
      let url: URL | undefined;
      server.use(
        http.get(
          `${BASE}/proxy/api/v1/namespaces/shop/pods/checkout-1/log`,
          ({ request }) => {
            url = new URL(request.url);
            return HttpResponse.text('line 1\nline 2\n');
          },
        ),
      );
      const { client } = createClient();
      await expect(
        client.readText({
          cluster: 'east',
          path: '/api/v1/namespaces/shop/pods/checkout-1/log',
          query: {
            container: 'app',
            tailLines: 200,
            previous: true,
            limitBytes: undefined,
          },
          credentials: user,
        }),
      ).resolves.toBe('line 1\nline 2\n');
      expect(Object.fromEntries(url!.searchParams)).toEqual({
        container: 'app',
        tailLines: '200',
        previous: 'true',
      });
    });

    it.each([
      '/healthz',
      '/api/v1/namespaces/shop/../../../../catalog',
      '/api/v1/namespaces/%2e%2e/pods',
      'api/v1/pods',
      '/api/v1/pods?watch=true',
    ])('refuses the non-API path %s without calling out', async path => {
      const { client } = createClient();
      await expect(
        client.read({ cluster: 'east', path, credentials: user }),
      ).rejects.toThrow(InputError);
    });

    it.each([
      [404, 'NotFound', 'deployments.apps "checkout" not found', NotFoundError],
      [
        403,
        'Forbidden',
        'deployments.apps is forbidden: User "alice" cannot get',
        NotAllowedError,
      ],
      [400, 'BadRequest', 'invalid labelSelector', InputError],
    ])(
      'maps a Kubernetes %s to its error, keeping the Status message',
      async (code, reason, message, type) => {
        server.use(
          http.get(`${BASE}/proxy${DEPLOYMENT_PATH}`, () =>
            status(code, reason, message),
          ),
        );
        const { client } = createClient();
        const error = await failure(
          client.read({
            cluster: 'east',
            path: DEPLOYMENT_PATH,
            credentials: user,
          }),
        );
        expect(error).toBeInstanceOf(type);
        expect(error.message).toContain(message);
      },
    );

    it('retries 5xx and then succeeds', async () => {
      let attempts = 0;
      server.use(
        http.get(`${BASE}/proxy${DEPLOYMENT_PATH}`, () => {
          attempts += 1;
          return attempts < 3
            ? status(503, 'ServiceUnavailable', 'etcd leader changed')
            : HttpResponse.json({ kind: 'Deployment' });
        }),
      );
      const { client } = createClient();
      await expect(
        client.read({
          cluster: 'east',
          path: DEPLOYMENT_PATH,
          credentials: user,
        }),
      ).resolves.toEqual({ kind: 'Deployment' });
      expect(attempts).toBe(3);
    });

    it('stops retrying once the caller abandons the read', async () => {
      let attempts = 0;
      const abandon = new AbortController();
      server.use(
        http.get(`${BASE}/proxy${DEPLOYMENT_PATH}`, () => {
          attempts += 1;
          // The caller's own deadline passes while the first answer is a 503.
          abandon.abort(new Error('the diagnosis deadline passed'));
          return status(503, 'ServiceUnavailable', 'etcd leader changed');
        }),
      );
      const { client } = createClient();
      await expect(
        client.read({
          cluster: 'east',
          path: DEPLOYMENT_PATH,
          credentials: user,
          signal: abandon.signal,
        }),
      ).rejects.toThrow();
      await new Promise(r => setTimeout(r, 50));
      expect(attempts).toBe(1);
    });

    it('gives up after the retries, naming the unreachable cluster', async () => {
      let attempts = 0;
      server.use(
        http.get(`${BASE}/proxy${DEPLOYMENT_PATH}`, () => {
          attempts += 1;
          // What the Kubernetes backend's proxy answers when it cannot connect.
          return HttpResponse.json(
            {
              error: {
                name: 'Error',
                message:
                  "Cluster 'east' request error; caused by Error: connect ECONNREFUSED 10.0.0.1:6443",
              },
              response: { statusCode: 500 },
            },
            { status: 500 },
          );
        }),
      );
      const { client } = createClient();
      const error = await failure(
        client.read({
          cluster: 'east',
          path: DEPLOYMENT_PATH,
          credentials: user,
        }),
      );
      expect(attempts).toBe(3);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe(
        `Kubernetes cluster 'east' failed GET ${DEPLOYMENT_PATH} (HTTP 500): Cluster 'east' request error; caused by Error: connect ECONNREFUSED 10.0.0.1:6443`,
      );
    });

    it('honours a short Retry-After and does not wait out a long one', async () => {
      let attempts = 0;
      server.use(
        http.get(`${BASE}/proxy${DEPLOYMENT_PATH}`, () => {
          attempts += 1;
          return new HttpResponse('slow down', {
            status: 429,
            headers: { 'Retry-After': attempts === 1 ? '0' : '3600' },
          });
        }),
      );
      const { client } = createClient();
      await expect(
        client.read({
          cluster: 'east',
          path: DEPLOYMENT_PATH,
          credentials: user,
        }),
      ).rejects.toThrow(ServiceUnavailableError);
      expect(attempts).toBe(2);
    });

    it('retries when the Kubernetes backend cannot be reached', async () => {
      let attempts = 0;
      server.use(
        http.get(`${BASE}/proxy${DEPLOYMENT_PATH}`, () => {
          attempts += 1;
          return HttpResponse.error();
        }),
      );
      const { client } = createClient();
      const error = await failure(
        client.read({
          cluster: 'east',
          path: DEPLOYMENT_PATH,
          credentials: user,
        }),
      );
      expect(attempts).toBe(3);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toMatch(
        /^The Kubernetes backend is unreachable for GET \/apis\/apps\/v1\/namespaces\/shop\/deployments\/checkout in cluster 'east'/,
      );
    });

    it('stops at the deadline and does not retry it', async () => {
      let attempts = 0;
      server.use(
        http.get(`${BASE}/proxy${DEPLOYMENT_PATH}`, async () => {
          attempts += 1;
          await delay('infinite');
          return HttpResponse.json({});
        }),
      );
      const { client } = createClient(50);
      const started = Date.now();
      const error = await failure(
        client.read({
          cluster: 'east',
          path: DEPLOYMENT_PATH,
          credentials: user,
        }),
      );
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(attempts).toBe(1);
      expect(error).toBeInstanceOf(KubernetesTimeoutError);
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toBe(
        `GET ${DEPLOYMENT_PATH} in cluster 'east' did not answer within 50 ms`,
      );
    });
  });

  describe('writes through the proxy', () => {
    it('patches with the plugin’s own credentials, a dry run and a resourceVersion precondition', async () => {
      let seen: { request: Request; body: unknown } | undefined;
      server.use(
        http.patch(`${BASE}/proxy${DEPLOYMENT_PATH}`, async ({ request }) => {
          seen = { request, body: await request.json() };
          return HttpResponse.json({ kind: 'Deployment' });
        }),
      );
      const { client, auth } = createClient();
      await client.write({
        cluster: 'east',
        path: DEPLOYMENT_PATH,
        method: 'PATCH',
        patchType: 'merge',
        body: { spec: { replicas: 5 } },
        dryRun: true,
        resourceVersion: '4711',
      });
      const url = new URL(seen!.request.url);
      expect(Object.fromEntries(url.searchParams)).toEqual({
        dryRun: 'All',
        fieldManager: 'kubecopilot',
      });
      expect(seen!.request.headers.get('content-type')).toBe(
        'application/merge-patch+json',
      );
      expect(seen!.request.headers.get('backstage-kubernetes-cluster')).toBe(
        'east',
      );
      expect(seen!.request.headers.get('authorization')).toBe(
        await ownToken(auth),
      );
      expect(seen!.body).toEqual({
        spec: { replicas: 5 },
        metadata: { resourceVersion: '4711' },
      });
    });

    it.each([
      ['strategic-merge', 'application/strategic-merge-patch+json'],
      ['json', 'application/json-patch+json'],
      ['apply', 'application/apply-patch+yaml'],
    ] as const)('sends a %s patch as %s', async (patchType, contentType) => {
      let seen: { contentType: string | null; body: unknown } | undefined;
      server.use(
        http.patch(`${BASE}/proxy${DEPLOYMENT_PATH}`, async ({ request }) => {
          seen = {
            contentType: request.headers.get('content-type'),
            body: await request.json(),
          };
          return HttpResponse.json({});
        }),
      );
      const { client } = createClient();
      await client.write({
        cluster: 'east',
        path: DEPLOYMENT_PATH,
        method: 'PATCH',
        patchType,
        body:
          patchType === 'json'
            ? [{ op: 'replace', path: '/spec/replicas', value: 5 }]
            : { spec: { replicas: 5 } },
        resourceVersion: '7',
      });
      expect(seen!.contentType).toBe(contentType);
      expect(seen!.body).toEqual(
        patchType === 'json'
          ? [
              { op: 'replace', path: '/spec/replicas', value: 5 },
              { op: 'replace', path: '/metadata/resourceVersion', value: '7' },
            ]
          : { spec: { replicas: 5 }, metadata: { resourceVersion: '7' } },
      );
    });

    it('deletes with a precondition and no field manager', async () => {
      let seen: { url: URL; body: unknown } | undefined;
      server.use(
        http.delete(
          `${BASE}/proxy/api/v1/namespaces/shop/pods/checkout-1`,
          async ({ request }) => {
            seen = { url: new URL(request.url), body: await request.json() };
            return HttpResponse.json({ kind: 'Pod' });
          },
        ),
      );
      const { client } = createClient();
      await client.write({
        cluster: 'east',
        path: '/api/v1/namespaces/shop/pods/checkout-1',
        method: 'DELETE',
        resourceVersion: '42',
      });
      expect(seen!.url.search).toBe('');
      expect(seen!.body).toEqual({
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        preconditions: { resourceVersion: '42' },
      });
    });

    it('turns a 409 into a ConflictError with the Status message', async () => {
      const message =
        'Operation cannot be fulfilled on deployments.apps "checkout": the object has been modified; please apply your changes to the latest version and try again';
      server.use(
        http.patch(`${BASE}/proxy${DEPLOYMENT_PATH}`, () =>
          status(409, 'Conflict', message),
        ),
      );
      const { client } = createClient();
      const error = await failure(
        client.write({
          cluster: 'east',
          path: DEPLOYMENT_PATH,
          method: 'PATCH',
          patchType: 'merge',
          body: {},
          resourceVersion: '1',
        }),
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toBe(message);
    });

    it('never retries a write', async () => {
      let attempts = 0;
      server.use(
        http.put(`${BASE}/proxy${DEPLOYMENT_PATH}`, () => {
          attempts += 1;
          return status(503, 'ServiceUnavailable', 'try again');
        }),
      );
      const { client } = createClient();
      await expect(
        client.write({
          cluster: 'east',
          path: DEPLOYMENT_PATH,
          method: 'PUT',
          body: { kind: 'Deployment' },
        }),
      ).rejects.toThrow(ServiceUnavailableError);
      expect(attempts).toBe(1);
    });

    it('reports a write that timed out as of unknown outcome', async () => {
      let attempts = 0;
      server.use(
        http.patch(`${BASE}/proxy${DEPLOYMENT_PATH}`, async () => {
          attempts += 1;
          await delay('infinite');
          return HttpResponse.json({});
        }),
      );
      const { client } = createClient(50);
      const error = await failure(
        client.write({
          cluster: 'east',
          path: DEPLOYMENT_PATH,
          method: 'PATCH',
          patchType: 'merge',
          body: {},
        }),
      );
      expect(attempts).toBe(1);
      expect(error).toBeInstanceOf(KubernetesTimeoutError);
      expect(error.message).toBe(
        `PATCH ${DEPLOYMENT_PATH} in cluster 'east' did not answer within 50 ms; the outcome of the write is unknown`,
      );
    });

    it('refuses a PATCH without a patch type', async () => {
      const { client } = createClient();
      await expect(
        client.write({
          cluster: 'east',
          path: DEPLOYMENT_PATH,
          method: 'PATCH',
          body: {},
        }),
      ).rejects.toThrow('A PATCH needs a patchType');
    });
  });
});
