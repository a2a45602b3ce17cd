/**
 * The cAdvisor- and kube-state-metrics-shaped series: values follow the shipped scenarios'
 * pods (restart counters, requests/limits, the OOM-killed worker's memory climbing to its
 * limit) and the kubelet's restarts of a pod created after start.
 */
import { resolve } from 'node:path';
import { Cluster } from './cluster';
import { loadScenarios } from './scenario/load';
import { T } from './api/resources';
import { OOM_PEAK, renderContainerMetrics } from './containerMetrics';
import { renderMetrics } from './exporter';
import { SCENARIO_DIR, startTestCluster, TestCluster, testDeployment, waitFor } from './__testUtils__/helpers';

function samples(text: string, name: string, match: Record<string, string>): number[] {
  const out: number[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = Object.fromEntries([...m[2].matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map(l => [l[1], l[2]]));
    if (Object.entries(match).every(([k, v]) => labels[k] === v)) out.push(Number(m[3]));
  }
  return out;
}

const MI = 2 ** 20;

describe('renderContainerMetrics', () => {
  function load(...files: string[]) {
    const cluster = new Cluster({ podStartupMs: 10, caPem: 'CA' });
    loadScenarios(cluster, { caPem: 'CA', scenarios: files.map(f => resolve(SCENARIO_DIR, f)) });
    return cluster;
  }

  it('reports the OOM-killed worker: restarts, limits, last termination, memory climbing to the limit', () => {
    const cluster = load('image-resizer.yaml');
    const pod = cluster.store.list(T.pods, 'shop').find(p => p.metadata.name!.startsWith('image-resizer-'))!;
    const sel = { namespace: 'shop', pod: pod.metadata.name!, container: 'image-resizer' };
    const text = renderContainerMetrics(cluster);
    expect(text).toContain('# TYPE kube_pod_container_status_restarts_total counter\n');
    expect(samples(text, 'kube_pod_container_status_restarts_total', sel)).toEqual([6]);
    expect(samples(text, 'kube_pod_container_resource_limits', { ...sel, resource: 'memory', unit: 'byte' })).toEqual([
      256 * MI,
    ]);
    expect(samples(text, 'kube_pod_container_resource_limits', { ...sel, resource: 'cpu', unit: 'core' })).toEqual([0.5]);
    expect(samples(text, 'kube_pod_container_resource_requests', { ...sel, resource: 'cpu' })).toEqual([0.25]);
    expect(samples(text, 'kube_pod_container_status_last_terminated_reason', { ...sel, reason: 'OOMKilled' })).toEqual([1]);
    expect(samples(text, 'kube_deployment_status_replicas_available', { namespace: 'shop', deployment: 'image-resizer' })).toEqual([0]);
    expect(samples(text, 'kube_deployment_spec_replicas', { namespace: 'shop', deployment: 'image-resizer' })).toEqual([1]);

    // Over one saw-tooth the working set rises monotonically to just under the limit.
    const t0 = Date.now() + 3_600_000;
    const memory = Array.from({ length: 20 }, (_, i) =>
      samples(renderContainerMetrics(cluster, t0 + i * 1000), 'container_memory_working_set_bytes', sel)[0],
    );
    const peak = Math.max(...memory);
    expect(peak).toBeGreaterThan(0.95 * 256 * MI);
    expect(peak).toBeLessThanOrEqual(OOM_PEAK * 256 * MI);
    expect(Math.min(...memory)).toBeGreaterThan(0.55 * 256 * MI);
  });

  it('reports a healthy pod below its memory request, its CPU counter growing with time', () => {
    const cluster = load('storefront.yaml');
    const pod = cluster.store.list(T.pods, 'shop').find(p => p.metadata.name!.startsWith('storefront-'))!;
    const container = pod.spec.containers[0].name;
    const sel = { namespace: 'shop', pod: pod.metadata.name!, container };
    const t0 = Date.now() + 3_600_000;
    const [a, b] = [t0, t0 + 60_000].map(t => renderContainerMetrics(cluster, t));
    const cpu = (text: string) => samples(text, 'container_cpu_usage_seconds_total', sel)[0];
    const rate = (cpu(b) - cpu(a)) / 60;
    expect(rate).toBeGreaterThan(0);
    // No CPU limit: nothing throttles it, and cAdvisor has no CFS quota series.
    expect(samples(a, 'kube_pod_container_resource_limits', { ...sel, resource: 'cpu' })).toEqual([]);
    expect(samples(a, 'container_cpu_cfs_periods_total', sel)).toEqual([]);
    expect(samples(a, 'kube_pod_container_resource_requests', { ...sel, resource: 'memory' })).toEqual([128 * MI]);
    const memory = samples(a, 'container_memory_working_set_bytes', sel)[0];
    expect(memory).toBeGreaterThan(0.4 * 128 * MI);
    expect(memory).toBeLessThan(128 * MI);
    expect(samples(a, 'kube_pod_container_status_restarts_total', sel)).toEqual([0]);
    // The HTTP exporter's text carries these families too.
    expect(renderMetrics(cluster, t0)).toContain('# TYPE container_memory_working_set_bytes gauge\n');
  });

  it('has no cAdvisor series for a container waiting on its image', () => {
    const cluster = load('recommendations.yaml');
    const text = renderContainerMetrics(cluster);
    const pulling = cluster.store
      .list(T.pods, 'shop')
      .filter(p => (p.status?.containerStatuses ?? []).some((s: any) => s.state?.waiting?.reason === 'ImagePullBackOff'));
    expect(pulling.length).toBeGreaterThan(0);
    for (const p of pulling) {
      expect(samples(text, 'container_memory_working_set_bytes', { pod: p.metadata.name! })).toEqual([]);
      expect(samples(text, 'kube_pod_container_status_restarts_total', { pod: p.metadata.name! })).toEqual([0]);
    }
  });

  describe('with the kubelet running', () => {
    let tc: TestCluster | undefined;
    afterEach(async () => {
      await tc?.stop();
      tc = undefined;
    });

    it("follows the kubelet's restarts of a pod it crash-loops", async () => {
      tc = await startTestCluster({ scenarios: [resolve(SCENARIO_DIR, 'checkout.yaml')], podStartupMs: 10 });
      const cluster = tc.cluster;
      await tc.apps.createNamespacedDeployment({
        namespace: 'shop',
        body: testDeployment('crasher', { replicas: 1, image: 'ghcr.io/kubecopilot-demo/checkout:2.3.1' }),
      });
      const pod = await waitFor(
        () =>
          cluster
            .listObjects('v1', 'Pod', 'shop')
            .find(p => p.metadata.name!.startsWith('crasher-') && p.status?.containerStatuses?.[0]?.restartCount >= 1),
        'a crasher pod restarted by the kubelet',
      );
      const sel = { namespace: 'shop', pod: pod.metadata.name!, container: 'app' };
      const text = cluster.metricsText();
      expect(samples(text, 'kube_pod_container_status_restarts_total', sel)).toEqual([
        cluster.getObject('v1', 'Pod', 'shop', pod.metadata.name!)!.status.containerStatuses[0].restartCount,
      ]);
      expect(samples(text, 'kube_pod_container_status_last_terminated_reason', { ...sel, reason: 'Error' })).toEqual([1]);
      // It runs between back-offs, so cAdvisor has its memory.
      expect(samples(text, 'container_memory_working_set_bytes', sel)).toHaveLength(1);
    });
  });
});
