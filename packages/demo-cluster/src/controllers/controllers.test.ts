/**
 * The simulated controllers through @kubernetes/client-node: scaling, rollout restart,
 * replacement pods, garbage collection, image behaviour rules, scheduling, config errors,
 * endpoints and StatefulSets.
 */
import { PatchStrategy, setHeaderOptions, V1Pod } from '@kubernetes/client-node';
import { expectApiError, SCENARIO_DIR, startTestCluster, TestCluster, testDeployment, waitFor } from '../__testUtils__/helpers';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

let t: TestCluster;

beforeAll(async () => {
  t = await startTestCluster({ scenarios: [SCENARIO_DIR] });
  await t.core.createNamespace({ body: { metadata: { name: 'ctl' } } });
  // Starting the API server (TLS, scenarios) takes seconds on a busy machine.
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

const pods = async (namespace: string, app: string) =>
  (await t.core.listNamespacedPod({ namespace, labelSelector: `app=${app}` })).items;
const ready = (p: V1Pod) => p.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True');

async function rolledOut(namespace: string, name: string) {
  return waitFor(async () => {
    const d = await t.apps.readNamespacedDeployment({ namespace, name });
    const want = d.spec?.replicas ?? 1;
    const s = d.status ?? {};
    return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
      (s.updatedReplicas ?? 0) === want &&
      (s.replicas ?? 0) === want &&
      (s.availableReplicas ?? 0) === want
      ? d
      : undefined;
  }, `deployment ${name} rolled out`);
}

describe('deployments', () => {
  it('creates a ReplicaSet and Ready pods for a new Deployment, with status and conditions', async () => {
    await t.apps.createNamespacedDeployment({ namespace: 'ctl', body: testDeployment('web', { replicas: 2 }) });
    const d = await rolledOut('ctl', 'web');
    expect(d.status?.conditions?.map(c => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    const rs = (await t.apps.listNamespacedReplicaSet({ namespace: 'ctl', labelSelector: 'app=web' })).items;
    expect(rs).toHaveLength(1);
    const hash = rs[0].metadata!.labels!['pod-template-hash'];
    expect(rs[0].metadata!.name).toBe(`web-${hash}`);
    expect(rs[0].metadata!.ownerReferences![0]).toMatchObject({ kind: 'Deployment', name: 'web', uid: d.metadata!.uid, controller: true });
    expect(rs[0].metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('1');
    const ps = await pods('ctl', 'web');
    expect(ps).toHaveLength(2);
    for (const p of ps) {
      expect(p.metadata!.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.metadata!.ownerReferences![0]).toMatchObject({ kind: 'ReplicaSet', uid: rs[0].metadata!.uid });
      expect(p.spec?.nodeName).toMatch(/^demo-node-[12]$/);
      expect(p.status?.podIP).toMatch(/^10\.244\.[12]\.\d+$/);
      expect(ready(p)).toBe(true);
    }
    const events = await t.core.listNamespacedEvent({ namespace: 'ctl', fieldSelector: 'involvedObject.kind=Deployment,involvedObject.name=web' });
    expect(events.items.map(e => e.message)).toContain(`Scaled up replica set web-${hash} from 0 to 2`);
  });

  it('scales through the scale subresource and changes the pod count', async () => {
    const scale = await t.apps.readNamespacedDeploymentScale({ namespace: 'ctl', name: 'web' });
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=web' } });
    await t.apps.patchNamespacedDeploymentScale({ namespace: 'ctl', name: 'web', body: { spec: { replicas: 4 } } }, merge);
    await waitFor(async () => (await pods('ctl', 'web')).filter(ready).length === 4, '4 ready pods');
    const d = await rolledOut('ctl', 'web');
    expect(d.status).toMatchObject({ replicas: 4, readyReplicas: 4, availableReplicas: 4, updatedReplicas: 4 });
    const stale = await expectApiError(
      t.apps.replaceNamespacedDeploymentScale({ namespace: 'ctl', name: 'web', body: { ...scale, spec: { replicas: 1 } } }),
    );
    expect(stale).toMatchObject({ code: 409, reason: 'Conflict' });
    const current = await t.apps.readNamespacedDeploymentScale({ namespace: 'ctl', name: 'web' });
    await t.apps.replaceNamespacedDeploymentScale({ namespace: 'ctl', name: 'web', body: { ...current, spec: { replicas: 1 } } });
    await waitFor(async () => (await pods('ctl', 'web')).length === 1, 'scaled down to 1');
    const events = await t.core.listNamespacedEvent({ namespace: 'ctl', fieldSelector: 'involvedObject.name=web,reason=ScalingReplicaSet' });
    expect(events.items.some(e => /Scaled down replica set web-\w+ from 4 to 1/.test(e.message ?? ''))).toBe(true);
    const negative = await expectApiError(
      t.apps.patchNamespacedDeploymentScale({ namespace: 'ctl', name: 'web', body: { spec: { replicas: -1 } } }, merge),
    );
    expect(negative).toMatchObject({ code: 422, reason: 'Invalid' });
  });

  it('rolls a new ReplicaSet and new pods on rollout restart', async () => {
    await t.apps.patchNamespacedDeploymentScale({ namespace: 'ctl', name: 'web', body: { spec: { replicas: 2 } } }, merge);
    await rolledOut('ctl', 'web');
    const before = await pods('ctl', 'web');
    const oldRs = (await t.apps.listNamespacedReplicaSet({ namespace: 'ctl', labelSelector: 'app=web' })).items[0];
    // what `kubectl rollout restart` sends
    await t.apps.patchNamespacedDeployment(
      {
        namespace: 'ctl',
        name: 'web',
        body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } },
      },
      strategic,
    );
    const d = await rolledOut('ctl', 'web');
    expect(d.metadata?.generation).toBe(5); // created (1), scaled 3 times, restarted
    const rs = (await t.apps.listNamespacedReplicaSet({ namespace: 'ctl', labelSelector: 'app=web' })).items;
    expect(rs).toHaveLength(2);
    const newRs = rs.find(r => r.metadata!.uid !== oldRs.metadata!.uid)!;
    expect(newRs.metadata!.labels!['pod-template-hash']).not.toBe(oldRs.metadata!.labels!['pod-template-hash']);
    expect(newRs.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('2');
    expect(newRs.spec!.replicas).toBe(2);
    expect(rs.find(r => r.metadata!.uid === oldRs.metadata!.uid)!.spec!.replicas).toBe(0);
    await waitFor(async () => (await pods('ctl', 'web')).length === 2, 'old pods gone');
    const after = await pods('ctl', 'web');
    expect(after.every(p => p.metadata!.labels!['pod-template-hash'] === newRs.metadata!.labels!['pod-template-hash'])).toBe(true);
    expect(after.some(p => before.some(b => b.metadata!.name === p.metadata!.name))).toBe(false);
    expect(after[0].metadata!.annotations!['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    expect(d.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('replaces a deleted pod and garbage-collects ReplicaSets and pods of a deleted Deployment', async () => {
    const [victim] = await pods('ctl', 'web');
    await t.core.deleteNamespacedPod({ namespace: 'ctl', name: victim.metadata!.name! });
    await waitFor(async () => {
      const ps = await pods('ctl', 'web');
      return ps.length === 2 && !ps.some(p => p.metadata!.name === victim.metadata!.name) && ps.every(ready);
    }, 'replacement pod');
    await t.apps.deleteNamespacedDeployment({ namespace: 'ctl', name: 'web' });
    await waitFor(async () => (await pods('ctl', 'web')).length === 0, 'pods collected');
    expect((await t.apps.listNamespacedReplicaSet({ namespace: 'ctl', labelSelector: 'app=web' })).items).toHaveLength(0);
  });

  it('rolls out within maxSurge/maxUnavailable: the old ReplicaSet keeps serving while new pods are not ready', async () => {
    await t.apps.createNamespacedDeployment({ namespace: 'ctl', body: testDeployment('rolling', { replicas: 2 }) });
    await rolledOut('ctl', 'rolling');
    await t.apps.patchNamespacedDeployment(
      { namespace: 'ctl', name: 'rolling', body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'ghcr.io/kubecopilot-demo/search:5.2.0' }] } } } } },
      strategic,
    );
    // 2 replicas: maxSurge 25% -> 1, maxUnavailable 25% -> 0
    const rs = await waitFor(async () => {
      const list = (await t.apps.listNamespacedReplicaSet({ namespace: 'ctl', labelSelector: 'app=rolling' })).items;
      return list.length === 2 && list.every(r => r.status?.observedGeneration === r.metadata?.generation) ? list : undefined;
    }, 'two ReplicaSets');
    await new Promise(r => setTimeout(r, 200));
    const byRevision = (await t.apps.listNamespacedReplicaSet({ namespace: 'ctl', labelSelector: 'app=rolling' })).items.sort(
      (a, b) => Number(a.metadata!.annotations!['deployment.kubernetes.io/revision']) - Number(b.metadata!.annotations!['deployment.kubernetes.io/revision']),
    );
    expect(rs).toHaveLength(2);
    expect(byRevision.map(r => r.spec?.replicas)).toEqual([2, 1]);
    const d = await t.apps.readNamespacedDeployment({ namespace: 'ctl', name: 'rolling' });
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 1, availableReplicas: 2, unavailableReplicas: 1 });
    expect(d.status?.conditions?.find(c => c.type === 'Available')?.status).toBe('True');
  });

  it('reports ProgressDeadlineExceeded when new pods never become ready', async () => {
    const body = testDeployment('slow', { replicas: 2, image: 'ghcr.io/kubecopilot-demo/payments:1.12.0' });
    (body.spec as any).progressDeadlineSeconds = 1;
    await t.apps.createNamespacedDeployment({ namespace: 'ctl', body });
    const d = await waitFor(async () => {
      const x = await t.apps.readNamespacedDeployment({ namespace: 'ctl', name: 'slow' });
      return x.status?.conditions?.find(c => c.type === 'Progressing')?.reason === 'ProgressDeadlineExceeded' ? x : undefined;
    }, 'progress deadline', 6000);
    expect(d.status?.conditions?.find(c => c.type === 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    expect(d.status?.conditions?.find(c => c.type === 'Progressing')).toMatchObject({ status: 'False', message: expect.stringMatching(/^ReplicaSet "slow-\w+" has timed out progressing\.$/) });
  });
});

describe('rollbacks: the template goes back to an earlier revision', () => {
  const GOOD = 'ghcr.io/kubecopilot-demo/checkout:2.2.0';
  const CRASHING = 'ghcr.io/kubecopilot-demo/checkout:2.3.1';
  const REVISION = 'deployment.kubernetes.io/revision';
  const replicaSets = async (app: string) =>
    (await t.apps.listNamespacedReplicaSet({ namespace: 'ctl', labelSelector: `app=${app}` })).items.sort(
      (a, b) => Number(a.metadata!.annotations![REVISION]) - Number(b.metadata!.annotations![REVISION]),
    );
  const setImage = (name: string, image: string) =>
    t.apps.patchNamespacedDeployment(
      { namespace: 'ctl', name, body: { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } } },
      strategic,
    );
  const restartedAt = (name: string, value: string | null) =>
    t.apps.patchNamespacedDeployment(
      { namespace: 'ctl', name, body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': value } } } } } },
      strategic,
    );
  const crashLooping = (app: string, n: number) =>
    waitFor(async () => {
      const ps = await pods('ctl', app);
      return ps.filter(p => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff').length === n ? ps : undefined;
    }, `${n} crash-looping ${app} pods`);

  it('takes the earlier ReplicaSet back into use and scales the crash-looping one down, like `kubectl rollout undo`', async () => {
    await t.apps.createNamespacedDeployment({ namespace: 'ctl', body: testDeployment('undo', { replicas: 1, image: GOOD }) });
    await rolledOut('ctl', 'undo');
    const [good] = await replicaSets('undo');
    await setImage('undo', CRASHING);
    await crashLooping('undo', 1);
    // replicas 1: maxSurge 25% -> 1, maxUnavailable 25% -> 0, so 2.2.0 keeps serving meanwhile
    const during = await replicaSets('undo');
    expect(during.map(r => [r.spec!.template!.spec!.containers[0].image, r.spec!.replicas])).toEqual([
      [GOOD, 1],
      [CRASHING, 1],
    ]);
    const bad = during[1];

    await setImage('undo', GOOD);
    const d = await rolledOut('ctl', 'undo');
    await waitFor(async () => (await pods('ctl', 'undo')).length === 1, 'the crash-looping pod gone');

    const after = await replicaSets('undo');
    expect(after).toHaveLength(2); // no third ReplicaSet: the template matched 2.2.0's
    const reused = after.find(r => r.metadata!.uid === good.metadata!.uid)!;
    expect(reused.metadata!.name).toBe(good.metadata!.name);
    expect(reused.metadata!.annotations).toMatchObject({ [REVISION]: '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(reused.spec!.replicas).toBe(1);
    expect(after.find(r => r.metadata!.uid === bad.metadata!.uid)!.spec!.replicas).toBe(0);
    expect(d.metadata!.annotations![REVISION]).toBe('3');
    expect(d.status).toMatchObject({ replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 });
    const [pod] = await pods('ctl', 'undo');
    expect(pod.metadata!.labels!['pod-template-hash']).toBe(good.metadata!.labels!['pod-template-hash']);
    expect(ready(pod)).toBe(true);
    const events = await t.core.listNamespacedEvent({ namespace: 'ctl', fieldSelector: 'involvedObject.name=undo,reason=ScalingReplicaSet' });
    expect(events.items.map(e => e.message)).toContain(`Scaled down replica set ${bad.metadata!.name} from 1 to 0`);
  });

  it('reverts a restart to the earlier ReplicaSet without leaving `annotations: {}` behind', async () => {
    await t.apps.createNamespacedDeployment({ namespace: 'ctl', body: testDeployment('loop', { replicas: 1, image: CRASHING }) });
    await crashLooping('loop', 1);
    const [first] = await replicaSets('loop');
    await restartedAt('loop', '2026-01-15T12:30:00Z');
    await crashLooping('loop', 2);
    await restartedAt('loop', null);

    const d = await waitFor(async () => {
      const x = await t.apps.readNamespacedDeployment({ namespace: 'ctl', name: 'loop' });
      return x.metadata!.annotations![REVISION] === '3' ? x : undefined;
    }, 'the revert rolled');
    // the API server's ObjectMeta maps are omitempty: the emptied map goes, it does not stay {}
    expect(d.spec!.template.metadata!.annotations).toBeUndefined();
    expect(d.spec!.template.metadata!.labels).toEqual({ app: 'loop' });
    const after = await replicaSets('loop');
    expect(after).toHaveLength(2);
    expect(after[1].metadata!.uid).toBe(first.metadata!.uid);
    expect(after[1].metadata!.annotations).toMatchObject({ [REVISION]: '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(after[1].spec!.replicas).toBe(1);
    // Neither ReplicaSet ever has an available pod, and with replicas 1 maxUnavailable is 0:
    // the deployment controller's reconcileOldReplicaSets may scale down
    // allPods (2) - minAvailable (1) - newRSUnavailable (1) = 0 pods, so the interim
    // ReplicaSet keeps its crash-looping pod, on a real cluster too, until one becomes available.
    await new Promise(r => setTimeout(r, 300));
    expect((await replicaSets('loop')).map(r => r.spec!.replicas)).toEqual([1, 1]);
  });
});

describe('image behaviour rules', () => {
  it('keeps crashing a replacement pod of a crashing image, with previous logs', async () => {
    const [old] = await pods('shop', 'checkout');
    await t.core.deleteNamespacedPod({ namespace: 'shop', name: old.metadata!.name! });
    const pod = await waitFor(async () => {
      const p = (await pods('shop', 'checkout'))[0];
      return p?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' ? p : undefined;
    }, 'new checkout pod crash-looping');
    const cs = pod.status!.containerStatuses![0];
    expect(pod.metadata!.name).not.toBe(old.metadata!.name);
    expect(cs.restartCount).toBe(1);
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(pod.status?.phase).toBe('Running');
    const prev = await t.core.readNamespacedPodLog({ namespace: 'shop', name: pod.metadata!.name!, previous: true });
    expect(prev).toContain('Missing required environment variable PAYMENT_GATEWAY_URL');
    const events = await t.core.listNamespacedEvent({ namespace: 'shop', fieldSelector: `involvedObject.uid=${pod.metadata!.uid}` });
    expect(events.items.map(e => e.reason)).toEqual(expect.arrayContaining(['Scheduled', 'Pulled', 'Created', 'Started', 'BackOff']));
  });

  it('brings a fixed image up Ready (a rollout to another tag)', async () => {
    await t.apps.patchNamespacedDeployment(
      { namespace: 'shop', name: 'checkout', body: { spec: { template: { spec: { containers: [{ name: 'checkout', image: 'ghcr.io/kubecopilot-demo/checkout:2.3.2' }] } } } } },
      strategic,
    );
    await rolledOut('shop', 'checkout');
    const ps = await pods('shop', 'checkout');
    expect(ps).toHaveLength(1);
    expect(ps[0].spec!.containers[0].image).toBe('ghcr.io/kubecopilot-demo/checkout:2.3.2');
    expect(ready(ps[0])).toBe(true);
    const svcEp = await waitFor(async () => {
      const ep = await t.core.readNamespacedEndpoints({ namespace: 'shop', name: 'checkout' });
      return ep.subsets?.[0]?.addresses?.length === 1 ? ep : undefined;
    }, 'checkout endpoints');
    expect(svcEp.subsets![0].addresses![0].ip).toBe(ps[0].status!.podIP);
    expect(svcEp.subsets![0].ports![0].port).toBe(8080);
  });

  it('cannot pull an image marked ImagePullBackOff; OOM-kills an image marked OOMKilled; NotReady stays unready', async () => {
    await t.apps.createNamespacedDeployment({ namespace: 'ctl', body: testDeployment('pull', { replicas: 1, image: 'ghcr.io/kubecopilot-demo/recommendations:v3.0.0' }) });
    await t.apps.createNamespacedDeployment({ namespace: 'ctl', body: testDeployment('oom', { replicas: 1, image: 'ghcr.io/kubecopilot-demo/image-resizer:1.4.0' }) });
    await t.apps.createNamespacedDeployment({ namespace: 'ctl', body: testDeployment('unready', { replicas: 1, image: 'ghcr.io/kubecopilot-demo/search:5.2.0' }) });
    const pull = await waitFor(async () => {
      const p = (await pods('ctl', 'pull'))[0];
      return p?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff' ? p : undefined;
    }, 'ImagePullBackOff');
    expect(pull.status?.phase).toBe('Pending');
    expect(pull.status!.containerStatuses![1].state?.running).toBeTruthy(); // the sidecar's image is fine
    const oom = await waitFor(async () => {
      const p = (await pods('ctl', 'oom'))[0];
      return p?.status?.containerStatuses?.[0]?.lastState?.terminated?.reason === 'OOMKilled' ? p : undefined;
    }, 'OOMKilled');
    expect(oom.status!.containerStatuses![0].lastState!.terminated!.exitCode).toBe(137);
    const unready = await waitFor(async () => {
      const p = (await pods('ctl', 'unready'))[0];
      return p?.status?.phase === 'Running' ? p : undefined;
    }, 'unready running');
    expect(unready.status!.containerStatuses![0]).toMatchObject({ ready: false, started: true });
    expect(ready(unready)).toBe(false);
    await waitFor(async () => {
      const ev = await t.core.listNamespacedEvent({ namespace: 'ctl', fieldSelector: `involvedObject.uid=${unready.metadata!.uid},reason=Unhealthy` });
      return ev.items[0]?.message === 'Readiness probe failed: HTTP probe failed with statuscode: 503';
    }, 'Unhealthy event');
  });

  it('gives new pods CreateContainerConfigError until the ConfigMap exists', async () => {
    const [old] = await pods('shop', 'mailer');
    await t.core.deleteNamespacedPod({ namespace: 'shop', name: old.metadata!.name! });
    const pod = await waitFor(async () => {
      const p = (await pods('shop', 'mailer'))[0];
      return p?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError' ? p : undefined;
    }, 'CreateContainerConfigError');
    expect(pod.status!.containerStatuses![0].state!.waiting!.message).toBe('configmap "mailer-config" not found');
    await t.core.createNamespacedConfigMap({ namespace: 'shop', body: { metadata: { name: 'mailer-config' }, data: { FROM: 'shop@example.com' } } });
    await waitFor(async () => ready((await pods('shop', 'mailer'))[0]), 'mailer ready after the ConfigMap appeared');
  });

  it('keeps pods Pending (Unschedulable) when no node fits', async () => {
    const [old] = await pods('shop', 'ml-trainer');
    await t.core.deleteNamespacedPod({ namespace: 'shop', name: old.metadata!.name! });
    const pod = await waitFor(async () => {
      const p = (await pods('shop', 'ml-trainer'))[0];
      return p && p.metadata!.uid !== old.metadata!.uid && p.status?.conditions?.some(c => c.reason === 'Unschedulable') ? p : undefined;
    }, 'Unschedulable');
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.spec?.nodeName).toBeUndefined();
    const cond = pod.status!.conditions!.find(c => c.type === 'PodScheduled')!;
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(cond.message).toBe('0/2 nodes are available: 2 Insufficient nvidia.com/gpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.');
    const ev = await t.core.listNamespacedEvent({ namespace: 'shop', fieldSelector: `involvedObject.uid=${pod.metadata!.uid},reason=FailedScheduling` });
    expect(ev.items).toHaveLength(1);
  });
});

describe('other controllers', () => {
  it('maintains Endpoints for a new Service and its pods', async () => {
    await t.apps.createNamespacedDeployment({ namespace: 'ctl', body: testDeployment('api', { replicas: 2 }) });
    await t.core.createNamespacedService({
      namespace: 'ctl',
      body: { metadata: { name: 'api' }, spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 'http' }] } },
    });
    const svc = await t.core.readNamespacedService({ namespace: 'ctl', name: 'api' });
    expect(svc.spec?.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(svc.spec?.type).toBe('ClusterIP');
    const ep = await waitFor(async () => {
      const e = await t.core.readNamespacedEndpoints({ namespace: 'ctl', name: 'api' });
      return e.subsets?.[0]?.addresses?.length === 2 ? e : undefined;
    }, 'endpoints with 2 addresses');
    expect(ep.subsets![0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    await t.core.deleteNamespacedService({ namespace: 'ctl', name: 'api' });
    await waitFor(async () => (await expectApiError(t.core.readNamespacedEndpoints({ namespace: 'ctl', name: 'api' }))).code === 404, 'endpoints removed');
  });

  it('runs StatefulSets with ordinal pod names and a scale subresource', async () => {
    await t.apps.createNamespacedStatefulSet({
      namespace: 'ctl',
      body: {
        metadata: { name: 'db' },
        spec: {
          replicas: 2,
          serviceName: 'db',
          selector: { matchLabels: { app: 'db' } },
          template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
        },
      },
    });
    await waitFor(async () => (await pods('ctl', 'db')).filter(ready).length === 2, 'db-0 and db-1 ready');
    expect((await pods('ctl', 'db')).map(p => p.metadata!.name).sort()).toEqual(['db-0', 'db-1']);
    await t.apps.patchNamespacedStatefulSetScale({ namespace: 'ctl', name: 'db', body: { spec: { replicas: 1 } } }, merge);
    await waitFor(async () => (await pods('ctl', 'db')).length === 1, 'scaled to 1');
    const sts = await waitFor(async () => {
      const s = await t.apps.readNamespacedStatefulSet({ namespace: 'ctl', name: 'db' });
      return s.status?.replicas === 1 && s.status?.readyReplicas === 1 ? s : undefined;
    }, 'sts status');
    expect(sts.status?.currentRevision).toBe(sts.status?.updateRevision);
  });

  it('creates the default ServiceAccount and root CA ConfigMap in a new namespace', async () => {
    await t.core.createNamespace({ body: { metadata: { name: 'fresh' } } });
    await waitFor(async () => (await t.core.readNamespacedServiceAccount({ namespace: 'fresh', name: 'default' })).metadata?.name, 'default SA');
    const ca = await t.core.readNamespacedConfigMap({ namespace: 'fresh', name: 'kube-root-ca.crt' });
    expect(ca.data?.['ca.crt']).toBe(t.cluster.caPem);
    await t.core.createNamespacedConfigMap({ namespace: 'fresh', body: { metadata: { name: 'x' } } });
    await t.core.deleteNamespace({ name: 'fresh' });
    expect(await expectApiError(t.core.readNamespacedConfigMap({ namespace: 'fresh', name: 'x' }))).toMatchObject({ code: 404 });
  });
});
