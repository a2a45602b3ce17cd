/**
 * The HTTP surface: TLS and the kubeconfig, bearer-token auth, discovery, Kubernetes-style
 * errors for bad input (404/400/405/413/415), fault injection, latency, and robustness.
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { expectApiError, rawRequest, SCENARIO_DIR, startTestCluster, TestCluster } from './__testUtils__/helpers';
import { startDemoCluster } from './start';

let t: TestCluster;

beforeAll(async () => {
  t = await startTestCluster({ scenarios: [path.join(SCENARIO_DIR, 'storefront.yaml')] });
  // Starting the API server (TLS, scenarios) takes seconds on a busy machine.
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

describe('TLS, kubeconfig and auth', () => {
  it('serves HTTPS with a CA the kubeconfig carries, for 127.0.0.1', async () => {
    expect(t.cluster.url).toBe(`https://127.0.0.1:${t.cluster.port}`);
    expect(Buffer.from(t.cluster.caData, 'base64').toString()).toBe(t.cluster.caPem);
    expect(t.cluster.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const kc = t.kc.getCurrentCluster();
    expect(kc?.server).toBe(t.cluster.url);
    expect(kc?.caData).toBe(t.cluster.caData);
    expect(kc?.skipTLSVerify).toBeFalsy();
    expect(t.kc.getCurrentUser()?.token).toBe(t.cluster.token);
    expect(t.kc.getContexts()[0].namespace).toBe('shop');
    // a client that does not trust the CA is refused
    await expect(
      new Promise((resolve, reject) => {
        https.get(`${t.cluster.url}/version`, { agent: false }, resolve).on('error', reject);
      }),
    ).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it('answers 401 without or with a wrong bearer token', async () => {
    const none = await t.raw('GET', '/api/v1/namespaces', { token: null });
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    const kc = new KubeConfig();
    kc.loadFromString(t.cluster.kubeconfig().replace(t.cluster.token, 'wrong-token'));
    expect(await expectApiError(kc.makeApiClient(CoreV1Api).listNamespace())).toMatchObject({ code: 401 }); // client-node drops 401 bodies
    // like kube-apiserver, /version and the health checks are public
    expect((await t.raw('GET', '/version', { token: null })).status).toBe(200);
    expect((await t.raw('GET', '/readyz', { token: null })).text).toBe('ok');
  });

  it('accepts a user token for reads only, and says whose token each request carried', async () => {
    const seen: Array<[string, string | undefined, number]> = [];
    const c = await startDemoCluster({
      scenarios: [path.join(SCENARIO_DIR, 'storefront.yaml')],
      token: 'service-tok',
      userToken: 'user-tok',
      onRequest: e => seen.push([e.method, e.identity, e.status]),
    });
    try {
      const read = await rawRequest(c, 'GET', '/api/v1/namespaces', { token: 'user-tok' });
      expect(read.status).toBe(200);
      const write = await rawRequest(c, 'POST', '/api/v1/namespaces', {
        token: 'user-tok',
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'by-user' } },
      });
      expect(write.status).toBe(403);
      expect(write.json).toMatchObject({ reason: 'Forbidden', message: expect.stringMatching(/user token is read-only/) });
      const bySa = await rawRequest(c, 'POST', '/api/v1/namespaces', {
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'by-service' } },
      });
      expect(bySa.status).toBe(201);
      expect((await rawRequest(c, 'GET', '/api/v1/namespaces', { token: 'other' })).status).toBe(401);
      expect(seen).toEqual([
        ['GET', 'user', 200],
        ['POST', 'user', 403],
        ['POST', 'service', 201],
        ['GET', undefined, 401],
      ]);
      await expect(startDemoCluster({ token: 'same', userToken: 'same' })).rejects.toThrow(/different from token/);
    } finally {
      await c.stop();
    }
  });

  it('reuses the certificates of --cert-dir, or generates them there', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-cluster-certs-'));
    try {
      const a = await startDemoCluster({ certDir: dir, token: 'tok' });
      await a.stop();
      expect(fs.readdirSync(dir).sort()).toEqual(['ca.crt', 'ca.key', 'server.crt', 'server.key']);
      expect(fs.statSync(path.join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
      const b = await startDemoCluster({ certDir: dir, token: 'tok' });
      try {
        expect(b.caPem).toBe(a.caPem);
        const res = await rawRequest(b, 'GET', '/api');
        expect(res.json.kind).toBe('APIVersions');
      } finally {
        await b.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('discovery', () => {
  it('serves /version, /api, /apis and the group versions', async () => {
    const version = (await t.raw('GET', '/version')).json;
    expect(version).toMatchObject({ major: '1', minor: '32' });
    expect((await t.raw('GET', '/api')).json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await t.raw('GET', '/apis')).json;
    expect(groups.kind).toBe('APIGroupList');
    const names = groups.groups.map((g: any) => g.name);
    expect(names).toEqual(expect.arrayContaining(['apps', 'batch', 'networking.k8s.io', 'autoscaling', 'policy']));
    expect(groups.groups.find((g: any) => g.name === 'autoscaling').preferredVersion).toEqual({ groupVersion: 'autoscaling/v2', version: 'v2' });
    const core = (await t.raw('GET', '/api/v1')).json;
    const pods = core.resources.find((r: any) => r.name === 'pods');
    expect(pods).toMatchObject({ kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'] });
    expect(core.resources.map((r: any) => r.name)).toEqual(expect.arrayContaining(['pods/log', 'pods/status', 'namespaces', 'nodes', 'events', 'secrets']));
    const apps = (await t.raw('GET', '/apis/apps/v1')).json;
    expect(apps.resources.find((r: any) => r.name === 'deployments/scale')).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    for (const gv of ['batch/v1', 'networking.k8s.io/v1', 'autoscaling/v2', 'policy/v1']) {
      expect((await t.raw('GET', `/apis/${gv}`)).json.groupVersion).toBe(gv);
    }
    expect((await t.raw('GET', '/apis/apps')).json).toMatchObject({ kind: 'APIGroup', name: 'apps' });
  });

  it('serves an OpenAPI v3 index whose group/version documents announce fieldValidation on PATCH', async () => {
    const index = (await t.raw('GET', '/openapi/v3')).json;
    const url = index.paths['apis/apps/v1'].serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
    const doc = (await t.raw('GET', url)).json;
    const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(item.patch.parameters.map((p: any) => p.name)).toContain('fieldValidation');
    expect((await t.raw('GET', '/openapi/v3/apis/nope/v1')).status).toBe(404);
    expect((await t.raw('GET', '/openapi/v2')).status).toBe(404);
  });
});

describe('other representations and paths', () => {
  it('answers YAML when asked, and serves the legacy /watch/ paths', async () => {
    const yaml = await t.raw('GET', '/api/v1/namespaces/shop/services/storefront', { headers: { Accept: 'application/yaml' } });
    expect(yaml.headers['content-type']).toBe('application/yaml');
    expect(yaml.text).toMatch(/^apiVersion: v1\nkind: Service\n/);
    const watch = await t.raw('GET', '/api/v1/watch/namespaces/shop/services?timeoutSeconds=1');
    expect(JSON.parse(watch.text.split('\n')[0])).toMatchObject({ type: 'ADDED', object: { kind: 'Service' } });
  });
});

describe('bad input gets Kubernetes-style answers', () => {
  it('404 for unknown kinds, groups and paths', async () => {
    for (const p of ['/api/v1/widgets', '/apis/example.com/v1/widgets', '/api/v2/pods', '/apis/apps/v1/namespaces/shop/deployments/storefront/unknown', '/nope', '/api/v1/namespaces/shop/nodes']) {
      const res = await t.raw('GET', p);
      expect({ p, status: res.status, reason: res.json?.reason }).toEqual({ p, status: 404, reason: 'NotFound' });
    }
  });

  it('400 for malformed JSON, 413 for oversized bodies, 415 for unknown patch and body types, 405 for wrong methods', async () => {
    const malformed = await t.raw('POST', '/api/v1/namespaces/shop/configmaps', { body: '{"metadata": {"name": "x"' });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
    const badPatch = await t.raw('PATCH', '/apis/apps/v1/namespaces/shop/deployments/storefront', {
      body: '{not json',
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(badPatch.status).toBe(400);
    const notAList = await t.raw('PATCH', '/apis/apps/v1/namespaces/shop/deployments/storefront', {
      body: '{"op":"add"}',
      headers: { 'Content-Type': 'application/json-patch+json' },
    });
    expect(notAList.status).toBe(400);
    const big = await t.raw('POST', '/api/v1/namespaces/shop/configmaps', {
      body: JSON.stringify({ metadata: { name: 'big' }, data: { blob: 'x'.repeat(3 * 1024 * 1024 + 10) } }),
    });
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ reason: 'RequestEntityTooLarge', code: 413, message: 'Request entity too large: limit is 3145728' });
    const unknownPatch = await t.raw('PATCH', '/apis/apps/v1/namespaces/shop/deployments/storefront', {
      body: '{}',
      headers: { 'Content-Type': 'application/x-unknown-patch' },
    });
    expect(unknownPatch.status).toBe(415);
    expect(unknownPatch.json).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType', code: 415 });
    const textBody = await t.raw('POST', '/api/v1/namespaces/shop/configmaps', { body: 'hello', headers: { 'Content-Type': 'text/plain' } });
    expect(textBody.status).toBe(415);
    const wrongKind = await t.raw('POST', '/api/v1/namespaces/shop/configmaps', { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } } });
    expect(wrongKind.status).toBe(400);
    const notObject = await t.raw('POST', '/api/v1/namespaces/shop/configmaps', { body: '[1,2]' });
    expect(notObject.status).toBe(400);
    const nameMismatch = await t.raw('PUT', '/api/v1/namespaces/shop/configmaps/a', { body: { metadata: { name: 'b' } } });
    expect(nameMismatch.status).toBe(400);
    const post = await t.raw('POST', '/api/v1/namespaces/shop/configmaps/x', { body: {} });
    expect(post.status).toBe(405);
    expect(post.json.reason).toBe('MethodNotAllowed');
    const badLimit = await t.raw('GET', '/api/v1/pods?limit=abc');
    expect(badLimit.status).toBe(400);
    const badDryRun = await t.raw('POST', '/api/v1/namespaces/shop/configmaps?dryRun=Yes', { body: { metadata: { name: 'x' } } });
    expect(badDryRun.status).toBe(422);
    const badEncoding = await t.raw('GET', '/api/v1/namespaces/%E0%A4%A/pods');
    expect(badEncoding.status).toBe(404);
  });

  it('survives garbage and keeps serving', async () => {
    const garbage = [
      ['PATCH', '/api/v1/namespaces/shop/configmaps/kube-root-ca.crt', '{"metadata":null}', 'application/merge-patch+json'],
      ['PATCH', '/api/v1/namespaces/shop/configmaps/kube-root-ca.crt', '{"$patch":"explode"}', 'application/strategic-merge-patch+json'],
      ['PATCH', '/api/v1/namespaces/shop/configmaps/kube-root-ca.crt', '[{"op":"remove","path":"/metadata"}]', 'application/json-patch+json'],
      ['PATCH', '/api/v1/namespaces/shop/configmaps/kube-root-ca.crt', '[{"op":"replace","path":"/kind","value":"Pod"}]', 'application/json-patch+json'],
      ['POST', '/api/v1/namespaces/shop/pods', '{"metadata":{"name":"p"},"spec":{"containers":"nope"}}', 'application/json'],
      ['POST', '/api/v1/namespaces/shop/pods', '{"metadata":"x"}', 'application/json'],
      ['POST', '/apis/apps/v1/namespaces/shop/deployments', '{"metadata":{"name":"d"},"spec":{"replicas":"many","template":7}}', 'application/json'],
      ['PUT', '/apis/apps/v1/namespaces/shop/deployments/storefront/scale', '{"spec":{"replicas":"x"}}', 'application/json'],
      ['DELETE', '/api/v1/namespaces/shop/configmaps/kube-root-ca.crt', 'not json', 'application/json'],
      ['GET', '/api/v1/pods?labelSelector=%28%28%28', '', 'application/json'],
      ['GET', '/api/v1/pods?watch=true&resourceVersion=abc', '', 'application/json'],
      ['GET', '/api/v1/namespaces/shop/pods/x/log?tailLines=-1', '', 'application/json'],
      ['POST', '/api/v1/namespaces/shop/configmaps', 'apiVersion: v1\nkind: ConfigMap\nmetadata: [', 'application/yaml'],
    ];
    for (const [method, p, body, contentType] of garbage) {
      const res = await t.raw(method, p, { body: body || undefined, headers: { 'Content-Type': contentType } });
      expect({ method, p, ok: res.status >= 400 && res.status < 500, kind: res.json?.kind }).toEqual({ method, p, ok: true, kind: 'Status' });
    }
    expect((await t.raw('GET', '/version')).status).toBe(200);
    const cm = await t.core.readNamespacedConfigMap({ namespace: 'shop', name: 'kube-root-ca.crt' });
    expect(cm.data?.['ca.crt']).toBe(t.cluster.caPem);
  });
});

describe('faults and latency', () => {
  it('injects 500s a number of times, then serves normally', async () => {
    const remove = t.cluster.injectFault({ path: '/api/v1/namespaces/shop/pods', status: 500, times: 2 });
    expect(await expectApiError(t.core.listNamespacedPod({ namespace: 'shop' }))).toMatchObject({ code: 500, reason: 'InternalError' });
    expect(await expectApiError(t.core.listNamespacedPod({ namespace: 'shop' }))).toMatchObject({ code: 500 });
    expect((await t.core.listNamespacedPod({ namespace: 'shop' })).items.length).toBeGreaterThan(0);
    remove();
  });

  it('answers 429 with Retry-After on matching paths (glob and RegExp, per method)', async () => {
    const remove = t.cluster.injectFault({ method: 'GET', path: '/apis/apps/v1/*', status: 429, retryAfterSeconds: 7 });
    const res = await t.raw('GET', '/apis/apps/v1/namespaces/shop/deployments');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.json).toMatchObject({ reason: 'TooManyRequests', code: 429, details: { retryAfterSeconds: 7 } });
    expect((await t.raw('GET', '/api/v1/namespaces/shop/pods')).status).toBe(200);
    remove();
    expect((await t.raw('GET', '/apis/apps/v1/namespaces/shop/deployments')).status).toBe(200);
    t.cluster.injectFault({ path: /labelSelector=app%3Dstorefront/, status: 503 });
    expect((await t.raw('GET', '/api/v1/namespaces/shop/pods?labelSelector=app%3Dstorefront')).status).toBe(503);
    expect((await t.raw('GET', '/api/v1/namespaces/shop/pods')).status).toBe(200);
    t.cluster.clearFaults();
    expect((await t.raw('GET', '/api/v1/namespaces/shop/pods?labelSelector=app%3Dstorefront')).status).toBe(200);
  });

  it('hangs or drops the connection on request', async () => {
    const remove = t.cluster.injectFault({ path: '/api/v1/namespaces/shop/services', hang: true });
    const started = Date.now();
    await expect(t.raw('GET', '/api/v1/namespaces/shop/services', { timeoutMs: 300 })).rejects.toThrow('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    remove();
    t.cluster.injectFault({ path: '/api/v1/namespaces/shop/endpoints', dropConnection: true, times: 1 });
    await expect(t.raw('GET', '/api/v1/namespaces/shop/endpoints')).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await t.raw('GET', '/api/v1/namespaces/shop/endpoints')).status).toBe(200);
  });

  it('holds a matching request until a promise settles, then serves it', async () => {
    let release!: () => void;
    const released = new Promise<void>(r => (release = r));
    t.cluster.injectFault({ method: 'GET', path: '/api/v1/namespaces/shop/configmaps', holdUntil: released, times: 1 });
    let answered = false;
    const held = t.raw('GET', '/api/v1/namespaces/shop/configmaps').then(res => {
      answered = true;
      return res;
    });
    // Other requests pass meanwhile; the held one waits for the release.
    expect((await t.raw('GET', '/api/v1/namespaces/shop/pods')).status).toBe(200);
    await new Promise(r => setTimeout(r, 100));
    expect(answered).toBe(false);
    release();
    expect((await held).status).toBe(200);
    expect((await held).json).toMatchObject({ kind: 'ConfigMapList' });
  });

  it('adds per-request latency and faults from the start options', async () => {
    const slow = await startDemoCluster({ latencyMs: 150, faults: [{ path: '/api', status: 500, times: 1 }] });
    try {
      const started = Date.now();
      expect((await rawRequest(slow, 'GET', '/api')).status).toBe(500);
      expect((await rawRequest(slow, 'GET', '/api')).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      await slow.stop();
    }
  });

  it('stop() ends open watches and hanging requests', async () => {
    const c = await startDemoCluster({});
    c.injectFault({ path: '/api/v1/secrets', hang: true });
    const watch = rawRequest(c, 'GET', '/api/v1/configmaps?watch=true', { timeoutMs: 5000 });
    const hang = rawRequest(c, 'GET', '/api/v1/secrets', { timeoutMs: 5000 }).catch(e => e);
    await new Promise(r => setTimeout(r, 100));
    const started = Date.now();
    await c.stop();
    const w = await watch.catch(e => e);
    await hang;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(w).toBeDefined();
  });
});
