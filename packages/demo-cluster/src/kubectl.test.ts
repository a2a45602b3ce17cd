/**
 * Drives the real kubectl binary against the demo cluster (skipped, with a visible message,
 * when kubectl is not on PATH).
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeKubeconfig } from './kubeconfig';
import { SCENARIO_DIR, startTestCluster, TestCluster, waitFor } from './__testUtils__/helpers';

const kubectlPath = (() => {
  const r = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
})();

if (!kubectlPath) {
  // eslint-disable-next-line no-console
  console.warn('kubectl is not on PATH: skipping the kubectl tests of @kubecopilot/demo-cluster');
}

const describeKubectl = kubectlPath ? describe : describe.skip;

jest.setTimeout(30_000);

describeKubectl('kubectl against the demo cluster', () => {
  let t: TestCluster;
  let home: string;
  let kubeconfig: string;

  const kubectl = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise(resolve => {
      execFile(
        kubectlPath!,
        args,
        { env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig }, timeout: 30_000 },
        (err, stdout, stderr) => {
          let code = 0;
          if (err) code = typeof err.code === 'number' ? err.code : 1;
          resolve({ code, stdout, stderr });
        },
      );
    });
  const ok = async (...args: string[]) => {
    const r = await kubectl(...args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };

  /** Pods of an app, read in-process (cheaper than another kubectl run). */
  const podsOf = (app: string) =>
    t.cluster.listObjects('v1', 'Pod', 'shop').filter(p => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp);
  const readyCount = (app: string) =>
    podsOf(app).filter(p => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')).length;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-cluster-kubectl-'));
    t = await startTestCluster({ scenarios: [SCENARIO_DIR], podStartupMs: 100 });
    kubeconfig = path.join(home, 'kubeconfig');
    writeKubeconfig(kubeconfig, t.cluster.kubeconfig());
  });

  afterAll(async () => {
    await t?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('get pods -A lists the demo workloads with their real-looking statuses', async () => {
    const out = await ok('get', 'pods', '-A');
    const lines = out.trim().split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    for (const status of ['CrashLoopBackOff', 'ImagePullBackOff', 'Pending', 'OOMKilled', 'CreateContainerConfigError', 'Running']) {
      expect(out).toContain(status);
    }
    expect(lines.find(l => /checkout-\w+-\w+/.test(l))).toMatch(/^shop\s+checkout-\S+\s+0\/1\s+CrashLoopBackOff\s+7 \(\S+ ago\)\s+\S+$/);
    const more = await ok('get', 'nodes,deploy', '-n', 'shop');
    expect(more).toMatch(/demo-node-1\s+Ready\s+<none>\s+\S+\s+v1\.32\.4/);
    expect(more).toMatch(/payments\s+0\/2\s+2\s+0\s+/);
  });

  it('describe pod shows state, last state and events', async () => {
    const name = podsOf('checkout')[0].metadata.name!;
    const out = await ok('describe', 'pod', '-n', 'shop', name);
    expect(out).toMatch(/State:\s+Waiting\s+Reason:\s+CrashLoopBackOff/);
    expect(out).toMatch(/Last State:\s+Terminated\s+Reason:\s+Error\s+Exit Code:\s+1/);
    expect(out).toMatch(/Restart Count:\s+7/);
    expect(out).toMatch(/Warning\s+BackOff\s+\S+ \(x163 over \S+\)\s+kubelet\s+Back-off restarting failed container checkout/);
    expect(await ok('describe', 'pod', '-n', 'shop', podsOf('ml-trainer')[0].metadata.name!)).toMatch(/Warning\s+FailedScheduling\s+.*0\/2 nodes are available: 2 Insufficient nvidia\.com\/gpu/);
  });

  it('logs --tail=20 and logs --previous', async () => {
    const name = podsOf('checkout')[0].metadata.name!;
    const tail = await ok('logs', '-n', 'shop', name, '--tail=20');
    const lines = tail.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(20);
    expect(lines[lines.length - 1]).toBe('Node.js v20.18.1');
    const prev = await ok('logs', '-n', 'shop', name, '--previous');
    expect(prev).toContain('Error: Missing required environment variable PAYMENT_GATEWAY_URL');
    const noPrev = await kubectl('logs', '-n', 'shop', 'deploy/storefront', '--previous');
    expect(noPrev.code).not.toBe(0);
    expect(noPrev.stderr).toMatch(/previous terminated container "storefront" in pod "storefront-\S+" not found/);
  });

  it('get events', async () => {
    const out = await ok('get', 'events', '-n', 'shop');
    expect(out.split('\n')[0].split(/\s{2,}/)).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(out).toMatch(/Warning\s+FailedScheduling\s+pod\/ml-trainer-/);
    expect(out).toMatch(/Warning\s+Failed\s+pod\/recommendations-\S+\s+Error: ImagePullBackOff/);
    expect(out).toMatch(/Warning\s+Unhealthy\s+pod\/search-/);
  });

  it('scale deployment --replicas=3', async () => {
    expect(await ok('scale', 'deployment', 'storefront', '-n', 'shop', '--replicas=3')).toContain('deployment.apps/storefront scaled');
    await waitFor(() => readyCount('storefront') === 3, '3 storefront pods');
    await waitFor(() => t.cluster.getObject('apps/v1', 'Deployment', 'shop', 'storefront')?.status?.availableReplicas === 3, 'available 3');
    expect(await ok('get', 'deploy', 'storefront', '-n', 'shop')).toMatch(/storefront\s+3\/3\s+3\s+3/);
  });

  it('rollout restart and rollout status', async () => {
    const rsBefore = t.cluster.listObjects('apps/v1', 'ReplicaSet', 'shop').filter(r => r.metadata.labels?.app === 'storefront');
    expect(await ok('rollout', 'restart', 'deployment', 'storefront', '-n', 'shop')).toContain('deployment.apps/storefront restarted');
    const status = await ok('rollout', 'status', 'deployment/storefront', '-n', 'shop', '--timeout=30s');
    expect(status.trim().split('\n').pop()).toBe('deployment "storefront" successfully rolled out');
    const rsAfter = t.cluster.listObjects('apps/v1', 'ReplicaSet', 'shop').filter(r => r.metadata.labels?.app === 'storefront');
    expect(rsAfter).toHaveLength(rsBefore.length + 1);
    expect(await ok('rollout', 'history', 'deployment/storefront', '-n', 'shop')).toMatch(/REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>/);
  });

  it('delete pod (a replacement comes up)', async () => {
    const name = podsOf('inventory')[0].metadata.name!;
    expect(await ok('delete', 'pod', '-n', 'shop', name)).toContain(`pod "${name}" deleted`);
    await waitFor(() => !podsOf('inventory').some(p => p.metadata.name === name) && readyCount('inventory') === 2, 'replacement inventory pod');
  });

  it('patch with each patch type', async () => {
    expect(await ok('patch', 'deployment', 'inventory', '-n', 'shop', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"backend"}}}')).toContain('patched');
    expect(
      await ok('patch', 'deployment', 'inventory', '-n', 'shop', '--type=strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"inventory","env":[{"name":"LOG_LEVEL","value":"debug"}]}]}}}}'),
    ).toContain('patched');
    expect(await ok('patch', 'deployment', 'inventory', '-n', 'shop', '--type=json', '-p', '[{"op":"add","path":"/metadata/annotations/owner","value":"team-shop"}]')).toContain('patched');
    const dry = await ok('patch', 'deployment', 'inventory', '-n', 'shop', '--type=merge', '-p', '{"spec":{"replicas":9}}', '--dry-run=server');
    expect(dry).toContain('deployment.apps/inventory patched');
    const got = await ok('get', 'deployment', 'inventory', '-n', 'shop', '-o', 'jsonpath={.metadata.labels.tier} {.metadata.annotations.owner} {.spec.template.spec.containers[0].env[0].value} {.spec.template.spec.containers[0].image} {.spec.replicas}');
    expect(got).toBe('backend team-shop debug ghcr.io/kubecopilot-demo/inventory:4.1.0 2');
  });

  it('create -f and apply -f (client- and server-side)', async () => {
    const file = path.join(home, 'mailer-config.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mailer-config\n  namespace: shop\ndata:\n  FROM: shop@example.com\n');
    expect(await ok('apply', '-f', file)).toBe('configmap/mailer-config created\n');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('shop@example.com', 'noreply@example.com'));
    expect(await ok('apply', '-f', file)).toBe('configmap/mailer-config configured\n');
    expect(await ok('apply', '--server-side', '-f', file)).toBe('configmap/mailer-config serverside-applied\n');
    expect(t.cluster.getObject('v1', 'ConfigMap', 'shop', 'mailer-config')?.data).toEqual({ FROM: 'noreply@example.com' });
    const dup = await kubectl('create', '-f', file);
    expect(dup.stderr).toContain('Error from server (AlreadyExists)');
  });

  it('create with the typed generators (protobuf bodies) matches what kubectl would send', async () => {
    const compare = async (...args: string[]) => {
      const want = JSON.parse(await ok('create', ...args, '--dry-run=client', '-o', 'json'));
      const got = JSON.parse(await ok('create', ...args, '--dry-run=server', '-o', 'json'));
      return { want, got };
    };
    const cm = await compare('configmap', 'gen-cm', '-n', 'shop', '--from-literal=a=1', '--from-literal=b=two');
    expect(cm.got.data).toEqual(cm.want.data);
    const secret = await compare('secret', 'generic', 'gen-secret', '-n', 'shop', '--from-literal=password=s3cr3t');
    expect(secret.got.data).toEqual(secret.want.data);
    const deploy = await compare('deployment', 'gen-deploy', '-n', 'shop', '--image=nginx:1.27', '--replicas=3', '--port=8080');
    expect(deploy.got.spec).toMatchObject(deploy.want.spec);
    const svc = await compare('service', 'nodeport', 'gen-svc', '-n', 'shop', '--tcp=80:8080', '--node-port=30080');
    expect(svc.got.spec).toMatchObject(svc.want.spec);
    expect(await ok('create', 'namespace', 'gen-ns')).toBe('namespace/gen-ns created\n');
    expect(await ok('create', 'deployment', 'gen-web', '-n', 'gen-ns', '--image=nginx', '--replicas=2')).toBe('deployment.apps/gen-web created\n');
    await waitFor(() => t.cluster.getObject('apps/v1', 'Deployment', 'gen-ns', 'gen-web')?.status?.availableReplicas === 2, 'gen-web available');
    const unsupported = await kubectl('create', 'ingress', 'gen-ing', '-n', 'shop', '--rule=foo.com/bar=svc1:8080');
    expect(unsupported.stderr).toContain('the demo cluster decodes protobuf only for');
  });

  it('top and errors as kubectl prints them', async () => {
    expect(await ok('top', 'pods', '-n', 'shop')).toMatch(/storefront-\S+\s+\d+m\s+\d+Mi/);
    const missing = await kubectl('get', 'pod', 'nope', '-n', 'shop');
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');
  });
});
