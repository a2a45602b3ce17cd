import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { KubecopilotClient } from './KubecopilotClient';
import { KubernetesAuthProvidersApi } from './clusterAuth';

const server = setupServer();
const discoveryApi = mockApis.discovery({ baseUrl: 'http://backstage.test' });
const fetchApi = { fetch: (input: any, init?: any) => fetch(input, init) };
const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln';

/** Like the Kubernetes plugin's KubernetesAuthProviders, with an oidc `okta` and google. */
function authProviders(): KubernetesAuthProvidersApi & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async decorateRequestBodyForAuth(authProvider, body) {
      asked.push(authProvider);
      const auth: Record<string, any> = { ...body.auth };
      if (authProvider === 'oidc.okta') {
        auth.oidc = { ...auth.oidc, okta: ID_TOKEN };
      } else if (authProvider === 'google') {
        auth.google = 'google-access-token';
      } else if (authProvider !== 'serviceAccount') {
        throw new Error(
          `authProvider "${authProvider}" has no KubernetesAuthProvider defined for it`,
        );
      }
      return { ...body, auth };
    },
  };
}

function recordKubecopilot() {
  const headers: Array<string | null> = [];
  server.use(
    http.get('http://backstage.test/api/kubecopilot/plans', ({ request }) => {
      headers.push(request.headers.get('x-kubecopilot-cluster-auth'));
      return HttpResponse.json({ items: [] });
    }),
    http.post('http://backstage.test/api/kubecopilot/query', ({ request }) => {
      headers.push(request.headers.get('x-kubecopilot-cluster-auth'));
      return HttpResponse.json({ kind: 'read', items: [] });
    }),
  );
  return headers;
}

function clusters(items: object[]) {
  let calls = 0;
  server.use(
    http.get('http://backstage.test/api/kubernetes/clusters', () => {
      calls++;
      return HttpResponse.json({ items });
    }),
  );
  return () => calls;
}

describe("KubecopilotClient and the user's cluster credentials", () => {
  registerMswTestHooks(server);

  it('sends the tokens of the clusters with client-side auth on every call', async () => {
    const clusterCalls = clusters([
      { name: 'prod', authProvider: 'oidc', oidcTokenProvider: 'okta' },
      { name: 'gke', authProvider: 'google' },
      { name: 'demo', authProvider: 'serviceAccount' },
      { name: 'odd', authProvider: 'custom' },
    ]);
    const sent = recordKubecopilot();
    const providers = authProviders();
    const client = new KubecopilotClient({
      discoveryApi,
      fetchApi,
      kubernetesAuthProvidersApi: providers,
    });

    await client.listPlans();
    await client
      .query('component:default/checkout', 'pods of checkout')
      .catch(() => undefined);

    const expected = JSON.stringify({
      google: 'google-access-token',
      oidc: { okta: ID_TOKEN },
    });
    expect(sent).toEqual([expected, expected]);
    // A provider the app cannot serve is skipped, not fatal.
    expect(providers.asked).toEqual([
      'custom',
      'google',
      'oidc.okta',
      'serviceAccount',
      'custom',
      'google',
      'oidc.okta',
      'serviceAccount',
    ]);
    // The cluster list is reused; the tokens are asked for each call.
    expect(clusterCalls()).toBe(1);
  });

  it('sends no header when every cluster authenticates on the server', async () => {
    clusters([{ name: 'demo', authProvider: 'serviceAccount' }]);
    const sent = recordKubecopilot();
    const client = new KubecopilotClient({
      discoveryApi,
      fetchApi,
      kubernetesAuthProvidersApi: authProviders(),
    });
    await client.listPlans();
    expect(sent).toEqual([null]);
  });

  it('still calls KubeCopilot, without the header, when the cluster list fails', async () => {
    server.use(
      http.get('http://backstage.test/api/kubernetes/clusters', () =>
        HttpResponse.json({ error: { message: 'down' } }, { status: 503 }),
      ),
    );
    const sent = recordKubecopilot();
    const client = new KubecopilotClient({
      discoveryApi,
      fetchApi,
      kubernetesAuthProvidersApi: authProviders(),
    });
    await client.listPlans();
    expect(sent).toEqual([null]);
  });

  it('sends no header without the Kubernetes auth providers API', async () => {
    const sent = recordKubecopilot();
    await new KubecopilotClient({ discoveryApi, fetchApi }).listPlans();
    expect(sent).toEqual([null]);
  });
});
