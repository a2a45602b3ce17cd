/**
 * Object semantics through the real @kubernetes/client-node: CRUD, resourceVersion and
 * generation, 409 on stale writes, dry-run, patch types, selectors, pagination, metadata-only
 * reads, server-side Tables, logs and watches.
 */
import { Metrics, PatchStrategy, setHeaderOptions, topPods, Watch, V1ConfigMap } from '@kubernetes/client-node';
import { expectApiError, SCENARIO_DIR, startTestCluster, TestCluster, testDeployment, waitFor } from '../__testUtils__/helpers';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

let t: TestCluster;

beforeAll(async () => {
  t = await startTestCluster({ scenarios: [SCENARIO_DIR] });
  await t.core.createNamespace({ body: { metadata: { name: 'objects' } } });
  // Starting the API server (TLS, scenarios) takes seconds on a busy machine.
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

describe('reads', () => {
  it('lists per namespace and across namespaces, and reads single objects', async () => {
    const shop = await t.core.listNamespacedPod({ namespace: 'shop' });
    expect(shop.items.length).toBeGreaterThanOrEqual(13);
    expect(shop.items.every(p => p.metadata?.namespace === 'shop')).toBe(true);
    const all = await t.core.listPodForAllNamespaces();
    expect(all.items.length).toBe(shop.items.length);
    expect(Number(all.metadata?.resourceVersion)).toBeGreaterThan(0);
    const deploys = await t.apps.listDeploymentForAllNamespaces();
    expect(deploys.items.map(d => d.metadata?.name)).toEqual(
      expect.arrayContaining(['storefront', 'checkout', 'recommendations', 'image-resizer', 'ml-trainer', 'search', 'mailer', 'inventory', 'payments']),
    );
    const pod = await t.core.readNamespacedPod({ namespace: 'shop', name: shop.items[0].metadata!.name! });
    expect(pod.kind).toBe('Pod');
    expect(pod.apiVersion).toBe('v1');
    expect(pod.metadata?.uid).toBe(shop.items[0].metadata?.uid);
  });

  it('serves scenario objects exactly as written, status included', async () => {
    const pods = await t.core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=checkout' });
    const cs = pods.items[0].status!.containerStatuses![0];
    expect(cs.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(cs.lastState?.terminated?.exitCode).toBe(1);
    expect(cs.restartCount).toBe(7);
    const payments = await t.apps.readNamespacedDeployment({ namespace: 'shop', name: 'payments' });
    expect(payments.status?.conditions?.find(c => c.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
    });
    const ep = await t.core.readNamespacedEndpoints({ namespace: 'shop', name: 'inventory' });
    expect(ep.subsets ?? []).toEqual([]);
  });

  it('filters with equality and set-based label selectors', async () => {
    const names = async (labelSelector: string) =>
      (await t.core.listNamespacedPod({ namespace: 'shop', labelSelector })).items.map(p => p.metadata!.labels!.app);
    expect(new Set(await names('app=storefront'))).toEqual(new Set(['storefront']));
    expect(new Set(await names('app==storefront'))).toEqual(new Set(['storefront']));
    expect(new Set(await names('app in (checkout, search)'))).toEqual(new Set(['checkout', 'search']));
    const notin = await names('app notin (storefront,inventory),backstage.io/kubernetes-id');
    expect(notin).not.toContain('storefront');
    expect(notin).toContain('checkout');
    expect(await names('app!=storefront')).not.toContain('storefront');
    expect(await names('!app')).toEqual([]);
    expect((await names('pod-template-hash')).length).toBeGreaterThan(0);
    const bad = await expectApiError(t.core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app in (a' }));
    expect(bad).toMatchObject({ code: 400, reason: 'BadRequest' });
  });

  it('filters with field selectors', async () => {
    const pending = await t.core.listPodForAllNamespaces({ fieldSelector: 'status.phase=Pending' });
    expect(pending.items.map(p => p.metadata!.labels!.app).sort()).toEqual(['mailer', 'ml-trainer', 'recommendations']);
    const notRunning = await t.core.listNamespacedPod({ namespace: 'shop', fieldSelector: 'status.phase!=Running,status.phase!=Pending' });
    expect(notRunning.items).toEqual([]);
    const checkout = (await t.core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=checkout' })).items[0];
    const byName = await t.core.listNamespacedPod({ namespace: 'shop', fieldSelector: `metadata.name=${checkout.metadata!.name}` });
    expect(byName.items).toHaveLength(1);
    const events = await t.core.listNamespacedEvent({
      namespace: 'shop',
      fieldSelector: `involvedObject.name=${checkout.metadata!.name},involvedObject.namespace=shop,involvedObject.kind=Pod,involvedObject.uid=${checkout.metadata!.uid}`,
    });
    expect(events.items.map(e => e.reason)).toEqual(expect.arrayContaining(['BackOff', 'Scheduled']));
    const byNode = await t.core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=demo-node-1' });
    expect(byNode.items.every(p => p.spec?.nodeName === 'demo-node-1')).toBe(true);
    const unsupported = await expectApiError(t.core.listNamespacedPod({ namespace: 'shop', fieldSelector: 'spec.foo=bar' }));
    expect(unsupported).toMatchObject({ code: 400, reason: 'BadRequest', message: 'field label not supported: spec.foo' });
  });

  it('paginates with limit and continue', async () => {
    const first = await t.core.listNamespacedPod({ namespace: 'shop', limit: 5 });
    expect(first.items).toHaveLength(5);
    expect(first.metadata?._continue).toBeTruthy();
    expect(first.metadata?.remainingItemCount).toBeGreaterThan(0);
    const seen = first.items.map(p => p.metadata!.name);
    let token = first.metadata?._continue;
    while (token) {
      const page = await t.core.listNamespacedPod({ namespace: 'shop', limit: 5, _continue: token });
      seen.push(...page.items.map(p => p.metadata!.name));
      token = page.metadata?._continue;
    }
    const all = await t.core.listNamespacedPod({ namespace: 'shop' });
    expect(seen).toEqual(all.items.map(p => p.metadata!.name));
  });
});

describe('what the Backstage Kubernetes plugin reads', () => {
  it('finds workloads by backstage.io/kubernetes-id across namespaces, with pod metrics', async () => {
    const labelSelector = 'backstage.io/kubernetes-id=checkout';
    expect((await t.apps.listDeploymentForAllNamespaces({ labelSelector })).items.map(d => d.metadata?.name)).toEqual(['checkout']);
    expect((await t.apps.listReplicaSetForAllNamespaces({ labelSelector })).items).toHaveLength(2);
    expect((await t.core.listServiceForAllNamespaces({ labelSelector })).items.map(s => s.metadata?.name)).toEqual(['checkout']);
    const tops = await topPods(t.core, new Metrics(t.kc), 'shop');
    const storefront = tops.find(p => p.Pod.metadata?.name?.startsWith('storefront-'))!;
    expect(Number(storefront.CPU.CurrentUsage)).toBeGreaterThan(0);
    expect(Number(storefront.Memory.CurrentUsage)).toBeGreaterThan(0);
    expect(Number(storefront.Memory.LimitTotal)).toBe(256 * 1024 * 1024);
  });
});

describe('metadata-only reads', () => {
  it('answers PartialObjectMetadata without the data of a Secret', async () => {
    await t.core.createNamespacedSecret({
      namespace: 'objects',
      body: { metadata: { name: 'db-credentials', labels: { a: 'b' } }, stringData: { password: 's3cret' } },
    });
    const res = await t.raw('GET', '/api/v1/namespaces/objects/secrets/db-credentials', {
      headers: { Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' },
    });
    expect(res.status).toBe(200);
    expect(res.json.kind).toBe('PartialObjectMetadata');
    expect(res.json.apiVersion).toBe('meta.k8s.io/v1');
    expect(res.json.metadata.name).toBe('db-credentials');
    expect(res.text).not.toContain('czNjcmV0'); // base64 of the password
    expect(res.json.data).toBeUndefined();
    const full = await t.core.readNamespacedSecret({ namespace: 'objects', name: 'db-credentials' });
    expect(full.data?.password).toBe(Buffer.from('s3cret').toString('base64'));
  });

  it('answers PartialObjectMetadataList for lists and 406 for mismatched requests', async () => {
    const list = await t.raw('GET', '/api/v1/namespaces/objects/secrets', {
      headers: { Accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' },
    });
    expect(list.json.kind).toBe('PartialObjectMetadataList');
    expect(list.json.items[0]).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: expect.objectContaining({ name: 'db-credentials' }) });
    const missing = await t.raw('GET', '/api/v1/namespaces/objects/secrets/nope', {
      headers: { Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' },
    });
    expect(missing.status).toBe(404);
    const mismatch = await t.raw('GET', '/api/v1/namespaces/objects/secrets', {
      headers: { Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' },
    });
    expect(mismatch.status).toBe(406);
    expect(mismatch.json).toMatchObject({ kind: 'Status', reason: 'NotAcceptable', code: 406 });
  });
});

describe('server-side printing (Tables)', () => {
  it('prints pods with the columns and statuses kubectl shows', async () => {
    const res = await t.raw('GET', '/api/v1/namespaces/shop/pods?limit=500', { headers: { Accept: TABLE } });
    expect(res.json.kind).toBe('Table');
    expect(res.json.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates',
    ]);
    expect(res.json.columnDefinitions.filter((c: any) => c.priority === 0).map((c: any) => c.name)).toEqual([
      'Name', 'Ready', 'Status', 'Restarts', 'Age',
    ]);
    const byApp = (app: string) => res.json.rows.find((r: any) => r.cells[0].startsWith(`${app}-`));
    expect(byApp('checkout').cells.slice(1, 3)).toEqual(['0/1', 'CrashLoopBackOff']);
    expect(byApp('checkout').cells[3]).toMatch(/^7 \(\d+m\d*s? ago\)$/);
    expect(byApp('image-resizer').cells[2]).toBe('OOMKilled');
    expect(byApp('mailer').cells[2]).toBe('CreateContainerConfigError');
    expect(byApp('ml-trainer').cells[2]).toBe('Pending');
    expect(byApp('ml-trainer').cells[6]).toBe('<none>');
    expect(byApp('search').cells.slice(1, 3)).toEqual(['0/1', 'Running']);
    expect(byApp('storefront').cells.slice(1, 4)).toEqual(['1/1', 'Running', '0']);
    const recs = res.json.rows.filter((r: any) => r.cells[0].startsWith('recommendations-')).map((r: any) => r.cells[2]);
    expect(recs.sort()).toEqual(['ImagePullBackOff', 'Running']);
    // rows carry PartialObjectMetadata by default (kubectl takes NAMESPACE from it)
    expect(res.json.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { namespace: 'shop' } });
    const withObject = await t.raw('GET', '/api/v1/namespaces/shop/pods?includeObject=Object', { headers: { Accept: TABLE } });
    expect(withObject.json.rows[0].object.kind).toBe('Pod');
  });

  it('prints deployments, services, events, nodes and falls back to NAME/CREATED AT', async () => {
    const deploy = await t.raw('GET', '/apis/apps/v1/namespaces/shop/deployments/payments', { headers: { Accept: TABLE } });
    expect(deploy.json.columnDefinitions.map((c: any) => c.name).slice(0, 5)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
    expect(deploy.json.rows[0].cells.slice(0, 4)).toEqual(['payments', '0/2', 2, 0]);
    const svc = await t.raw('GET', '/api/v1/namespaces/shop/services/storefront', { headers: { Accept: TABLE } });
    expect(svc.json.rows[0].cells.slice(0, 5)).toEqual(['storefront', 'ClusterIP', '10.96.41.17', '<none>', '80/TCP']);
    const ep = await t.raw('GET', '/api/v1/namespaces/shop/endpoints/inventory', { headers: { Accept: TABLE } });
    expect(ep.json.rows[0].cells[1]).toBe('<none>');
    const nodes = await t.raw('GET', '/api/v1/nodes', { headers: { Accept: TABLE } });
    expect(nodes.json.rows.map((r: any) => r.cells[1])).toEqual(['Ready', 'Ready']);
    const events = await t.raw('GET', '/api/v1/namespaces/shop/events', { headers: { Accept: TABLE } });
    expect(events.json.columnDefinitions.filter((c: any) => !c.priority).map((c: any) => c.name)).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    expect(events.json.rows.some((r: any) => r.cells[2] === 'FailedScheduling' && r.cells[3].startsWith('pod/ml-trainer-'))).toBe(true);
    const limits = await t.raw('GET', '/api/v1/limitranges', { headers: { Accept: TABLE } });
    expect(limits.json.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Created At']);
  });
});

describe('writes', () => {
  it('bumps resourceVersion on every change and generation on spec changes only', async () => {
    const created = await t.apps.createNamespacedDeployment({ namespace: 'objects', body: testDeployment('gen', { replicas: 1 }) });
    expect(created.metadata?.generation).toBe(1);
    const rv1 = Number(created.metadata!.resourceVersion);
    const labelled = await t.apps.patchNamespacedDeployment(
      { namespace: 'objects', name: 'gen', body: { metadata: { labels: { tier: 'web' } } } },
      merge,
    );
    expect(Number(labelled.metadata!.resourceVersion)).toBeGreaterThan(rv1);
    expect(labelled.metadata?.generation).toBe(1);
    const scaled = await t.apps.patchNamespacedDeployment({ namespace: 'objects', name: 'gen', body: { spec: { replicas: 2 } } }, merge);
    expect(scaled.metadata?.generation).toBe(2);
    expect(Number(scaled.metadata!.resourceVersion)).toBeGreaterThan(Number(labelled.metadata!.resourceVersion));
  });

  it('rejects a PUT or patch carrying a stale resourceVersion with 409 Conflict', async () => {
    const cm = await t.core.createNamespacedConfigMap({ namespace: 'objects', body: { metadata: { name: 'conflict' }, data: { a: '1' } } });
    const updated = await t.core.replaceNamespacedConfigMap({ namespace: 'objects', name: 'conflict', body: { ...cm, data: { a: '2' } } });
    expect(updated.data?.a).toBe('2');
    const stale = await expectApiError(t.core.replaceNamespacedConfigMap({ namespace: 'objects', name: 'conflict', body: { ...cm, data: { a: '3' } } }));
    expect(stale).toMatchObject({
      kind: 'Status',
      code: 409,
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on configmaps "conflict": the object has been modified; please apply your changes to the latest version and try again',
    });
    const stalePatch = await expectApiError(
      t.core.patchNamespacedConfigMap(
        { namespace: 'objects', name: 'conflict', body: { metadata: { resourceVersion: cm.metadata!.resourceVersion }, data: { a: '4' } } },
        merge,
      ),
    );
    expect(stalePatch).toMatchObject({ code: 409, reason: 'Conflict' });
    const current = await t.core.readNamespacedConfigMap({ namespace: 'objects', name: 'conflict' });
    expect(current.data?.a).toBe('2');
    // an unconditional update (no resourceVersion) is allowed
    const unconditional = { ...current, metadata: { ...current.metadata, resourceVersion: undefined }, data: { a: '5' } };
    expect((await t.core.replaceNamespacedConfigMap({ namespace: 'objects', name: 'conflict', body: unconditional })).data?.a).toBe('5');
  });

  it('answers AlreadyExists, NotFound and Invalid as Status objects', async () => {
    const body: V1ConfigMap = { metadata: { name: 'dup' } };
    await t.core.createNamespacedConfigMap({ namespace: 'objects', body });
    expect(await expectApiError(t.core.createNamespacedConfigMap({ namespace: 'objects', body }))).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
      message: 'configmaps "dup" already exists',
    });
    expect(await expectApiError(t.apps.readNamespacedDeployment({ namespace: 'objects', name: 'nope' }))).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      code: 404,
      reason: 'NotFound',
      message: 'deployments.apps "nope" not found',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
    });
    const invalid = await expectApiError(t.core.createNamespacedPod({ namespace: 'objects', body: { metadata: { name: 'Bad_Name' }, spec: { containers: [] } } }));
    expect(invalid).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(invalid.details.causes.map((c: any) => c.field)).toEqual(['metadata.name', 'spec.containers']);
    const noNamespace = await expectApiError(t.core.createNamespacedConfigMap({ namespace: 'missing-ns', body: { metadata: { name: 'x' } } }));
    expect(noNamespace).toMatchObject({ code: 404, message: 'namespaces "missing-ns" not found' });
  });

  it('dry-run validates and answers without changing anything', async () => {
    const rvBefore = (await t.core.listNamespacedConfigMap({ namespace: 'objects' })).metadata!.resourceVersion;
    const dry = await t.core.createNamespacedConfigMap({ namespace: 'objects', body: { metadata: { name: 'dry' }, data: { k: 'v' } }, dryRun: 'All' });
    expect(dry.metadata?.name).toBe('dry');
    expect(dry.metadata?.uid).toBeTruthy();
    expect(await expectApiError(t.core.readNamespacedConfigMap({ namespace: 'objects', name: 'dry' }))).toMatchObject({ code: 404 });
    const invalidDry = await expectApiError(t.core.createNamespacedConfigMap({ namespace: 'objects', body: { metadata: { name: 'UPPER' } }, dryRun: 'All' }));
    expect(invalidDry).toMatchObject({ code: 422 });

    const d = await t.apps.createNamespacedDeployment({ namespace: 'objects', body: testDeployment('dry-deploy', { replicas: 1 }) });
    await waitFor(async () => (await t.apps.readNamespacedDeployment({ namespace: 'objects', name: 'dry-deploy' })).status?.readyReplicas === 1, 'dry-deploy ready');
    const before = await t.apps.readNamespacedDeployment({ namespace: 'objects', name: 'dry-deploy' });
    const patched = await t.apps.patchNamespacedDeployment(
      { namespace: 'objects', name: 'dry-deploy', body: { spec: { replicas: 5 } }, dryRun: 'All' },
      merge,
    );
    expect(patched.spec?.replicas).toBe(5);
    expect(patched.metadata?.generation).toBe(2);
    const scaleDry = await t.apps.patchNamespacedDeploymentScale(
      { namespace: 'objects', name: 'dry-deploy', body: { spec: { replicas: 4 } }, dryRun: 'All' },
      merge,
    );
    expect(scaleDry.spec?.replicas).toBe(4);
    await t.apps.deleteNamespacedDeployment({ namespace: 'objects', name: 'dry-deploy', dryRun: 'All' });
    await new Promise(r => setTimeout(r, 150));
    const after = await t.apps.readNamespacedDeployment({ namespace: 'objects', name: 'dry-deploy' });
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(after.spec?.replicas).toBe(1);
    expect(after.metadata?.uid).toBe(d.metadata?.uid);
    expect((await t.core.listNamespacedPod({ namespace: 'objects', labelSelector: 'app=dry-deploy' })).items).toHaveLength(1);
    expect(rvBefore).toBeTruthy();
  });

  it('applies merge, strategic merge and JSON patches', async () => {
    await t.apps.createNamespacedDeployment({ namespace: 'objects', body: testDeployment('patchy', { replicas: 1 }) });
    // strategic: containers merge by name, env by name; the sidecar and the ports stay
    const s = await t.apps.patchNamespacedDeployment(
      {
        namespace: 'objects',
        name: 'patchy',
        body: { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'LOG_LEVEL', value: 'debug' }] }] } } } },
      },
      strategic,
    );
    const containers = s.spec!.template.spec!.containers;
    expect(containers.map(c => c.name)).toEqual(['app', 'sidecar']);
    expect(containers[0].env).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }]);
    expect(containers[0].ports?.[0].containerPort).toBe(8080);
    // merge patch: lists are replaced wholesale, null deletes
    const m = await t.apps.patchNamespacedDeployment(
      { namespace: 'objects', name: 'patchy', body: { metadata: { labels: { team: 'a' } }, spec: { revisionHistoryLimit: null } } },
      merge,
    );
    expect(m.metadata?.labels?.team).toBe('a');
    // JSON patch, including a failing test operation
    const j = await t.apps.patchNamespacedDeployment(
      {
        namespace: 'objects',
        name: 'patchy',
        body: [
          { op: 'test', path: '/spec/replicas', value: 1 },
          { op: 'replace', path: '/spec/replicas', value: 3 },
          { op: 'add', path: '/metadata/annotations', value: { note: 'json' } },
        ],
      },
      jsonPatch,
    );
    expect(j.spec?.replicas).toBe(3);
    expect(j.metadata?.annotations?.note).toBe('json');
    const failedTest = await expectApiError(
      t.apps.patchNamespacedDeployment({ namespace: 'objects', name: 'patchy', body: [{ op: 'test', path: '/spec/replicas', value: 99 }] }, jsonPatch),
    );
    expect(failedTest).toMatchObject({ code: 422, reason: 'Invalid' });
    // strategic $patch: delete removes a container by name
    const del = await t.apps.patchNamespacedDeployment(
      { namespace: 'objects', name: 'patchy', body: { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } } },
      strategic,
    );
    expect(del.spec!.template.spec!.containers.map(c => c.name)).toEqual(['app']);
  });

  it('creates or patches with server-side apply', async () => {
    const res = await t.raw('PATCH', '/api/v1/namespaces/objects/configmaps/applied?fieldManager=test', {
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  a: "1"\n',
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
    });
    expect(res.status).toBe(201);
    expect(res.json.data).toEqual({ a: '1' });
    const again = await t.raw('PATCH', '/api/v1/namespaces/objects/configmaps/applied?fieldManager=test', {
      body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"},"data":{"b":"2"}}',
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
    });
    expect(again.status).toBe(200);
    expect(again.json.data).toEqual({ a: '1', b: '2' });
    const noManager = await t.raw('PATCH', '/api/v1/namespaces/objects/configmaps/applied', {
      body: '{}',
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
    });
    expect(noManager.status).toBe(422);
  });

  it('updates status only through the status subresource', async () => {
    const cm = await t.apps.createNamespacedDeployment({ namespace: 'objects', body: testDeployment('statusy', { replicas: 0 }) });
    const viaMain = await t.apps.patchNamespacedDeployment({ namespace: 'objects', name: 'statusy', body: { status: { replicas: 42 } } }, merge);
    expect(viaMain.status?.replicas).not.toBe(42);
    const viaStatus = await t.apps.patchNamespacedDeploymentStatus(
      { namespace: 'objects', name: 'statusy', body: { status: { conditions: [{ type: 'Custom', status: 'True' }] } } },
      merge,
    );
    expect(viaStatus.status?.conditions?.[0].type).toBe('Custom');
    expect(viaStatus.metadata?.generation).toBe(cm.metadata?.generation);
  });
});

describe('pods/log', () => {
  const podOf = async (app: string) => (await t.core.listNamespacedPod({ namespace: 'shop', labelSelector: `app=${app}` })).items[0].metadata!.name!;

  it('serves current and previous container logs with tailLines and limitBytes', async () => {
    const name = await podOf('checkout');
    const previous = await t.core.readNamespacedPodLog({ namespace: 'shop', name, previous: true });
    expect(previous).toContain('Error: Missing required environment variable PAYMENT_GATEWAY_URL');
    expect(previous.trimEnd().split('\n').pop()).toBe('Node.js v20.18.1');
    const current = await t.core.readNamespacedPodLog({ namespace: 'shop', name, container: 'checkout' });
    expect(current).toContain('unhandled exception during startup');
    const tail = await t.core.readNamespacedPodLog({ namespace: 'shop', name, tailLines: 3 });
    expect(tail.split('\n').filter(Boolean)).toEqual(['    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:170:5)', 'Node.js v20.18.1']);
    const limited = await t.core.readNamespacedPodLog({ namespace: 'shop', name, limitBytes: 10 });
    expect(Buffer.byteLength(limited)).toBe(10);
    const stamped = await t.core.readNamespacedPodLog({ namespace: 'shop', name, tailLines: 1, timestamps: true });
    expect(stamped).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z Node\.js v20\.18\.1\n$/);
  });

  it('answers like the kubelet when there are no logs', async () => {
    const storefront = await podOf('storefront');
    expect(await expectApiError(t.core.readNamespacedPodLog({ namespace: 'shop', name: storefront, previous: true }))).toMatchObject({
      code: 400,
      message: `previous terminated container "storefront" in pod "${storefront}" not found`,
    });
    const pulling = (await t.core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=recommendations', fieldSelector: 'status.phase=Pending' })).items[0].metadata!.name!;
    expect(await expectApiError(t.core.readNamespacedPodLog({ namespace: 'shop', name: pulling }))).toMatchObject({
      code: 400,
      message: `container "recommendations" in pod "${pulling}" is waiting to start: trying and failing to pull image`,
    });
    const pending = await podOf('ml-trainer');
    expect(await expectApiError(t.core.readNamespacedPodLog({ namespace: 'shop', name: pending }))).toMatchObject({
      code: 400,
      message: `pod ${pending} does not have a host assigned`,
    });
    expect(await expectApiError(t.core.readNamespacedPodLog({ namespace: 'shop', name: storefront, container: 'nope' }))).toMatchObject({ code: 400 });
    expect(await expectApiError(t.core.readNamespacedPodLog({ namespace: 'shop', name: 'no-such-pod' }))).toMatchObject({ code: 404 });
  });

  it('asks for a container name when the pod has several', async () => {
    await t.apps.createNamespacedDeployment({ namespace: 'objects', body: testDeployment('two-containers', { replicas: 1 }) });
    const pod = await waitFor(async () => {
      const p = (await t.core.listNamespacedPod({ namespace: 'objects', labelSelector: 'app=two-containers' })).items[0];
      return p?.status?.phase === 'Running' ? p : undefined;
    }, 'pod running');
    const name = pod.metadata!.name!;
    expect(await expectApiError(t.core.readNamespacedPodLog({ namespace: 'objects', name }))).toMatchObject({
      code: 400,
      message: `a container name must be specified for pod ${name}, choose one of: [app sidecar]`,
    });
    const log = await t.core.readNamespacedPodLog({ namespace: 'objects', name, container: 'sidecar' });
    expect(log).toContain('Starting sidecar');
  });
});

describe('watch', () => {
  it('streams ADDED/MODIFIED/DELETED events for a selector, and resumes from a resourceVersion', async () => {
    const events: string[] = [];
    const list = await t.core.listNamespacedConfigMap({ namespace: 'objects' });
    const watch = new Watch(t.kc);
    const req = await watch.watch(
      '/api/v1/namespaces/objects/configmaps',
      { labelSelector: 'watched=yes', resourceVersion: list.metadata!.resourceVersion, allowWatchBookmarks: true },
      (type, obj) => events.push(`${type} ${obj.metadata?.name}`),
      () => undefined,
    );
    await t.core.createNamespacedConfigMap({ namespace: 'objects', body: { metadata: { name: 'w1', labels: { watched: 'yes' } } } });
    await t.core.createNamespacedConfigMap({ namespace: 'objects', body: { metadata: { name: 'w-ignored' } } });
    await t.core.patchNamespacedConfigMap({ namespace: 'objects', name: 'w1', body: { data: { x: '1' } } }, merge);
    await t.core.patchNamespacedConfigMap({ namespace: 'objects', name: 'w1', body: { metadata: { labels: { watched: 'no' } } } }, merge);
    await waitFor(() => events.length >= 3, 'watch events');
    expect(events).toEqual(['ADDED w1', 'MODIFIED w1', 'DELETED w1']);
    req.abort();

    // replay from the list's resourceVersion
    const replay = await t.raw('GET', `/api/v1/namespaces/objects/configmaps?watch=true&resourceVersion=${list.metadata!.resourceVersion}&timeoutSeconds=1`);
    const types = replay.text.trim().split('\n').map(l => JSON.parse(l)).map(e => `${e.type} ${e.object.metadata.name}`);
    expect(types).toEqual(['ADDED w1', 'ADDED w-ignored', 'MODIFIED w1', 'MODIFIED w1']);
    const tooOld = await t.raw('GET', '/api/v1/namespaces/objects/configmaps?watch=1&resourceVersion=1&timeoutSeconds=1');
    expect(JSON.parse(tooOld.text.trim())).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('sends the current objects first when no resourceVersion is given', async () => {
    const res = await t.raw('GET', '/apis/apps/v1/namespaces/shop/deployments?watch=true&fieldSelector=metadata.name%3Dstorefront&timeoutSeconds=1');
    const events = res.text.trim().split('\n').map(l => JSON.parse(l));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'storefront' } } });
  });
});
