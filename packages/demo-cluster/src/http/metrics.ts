/**
 * metrics.k8s.io/v1beta1 PodMetrics and NodeMetrics, synthesised from the pods' requests and
 * limits (stable per container, running containers only) so `kubectl top` has something to show.
 */
import { createHash } from 'node:crypto';
import { Cluster } from '../cluster';
import { errors } from '../api/errors';
import { T } from '../api/resources';
import { buildMatcher } from '../api/objects';
import { KubeObject } from '../types';
import { formatCpu, formatMemory, parseQuantity } from '../controllers/quantity';
import { rfc3339 } from '../util';

function jitter(seed: string): number {
  return createHash('sha256').update(seed).digest()[0] / 255; // 0..1, stable
}

function containerUsage(pod: KubeObject, c: any): { cpu: number; memory: number } {
  const seed = `${pod.metadata.uid}/${c?.name}`;
  const req = c?.resources?.requests ?? {};
  const lim = c?.resources?.limits ?? {};
  const cpuBase = parseQuantity(req.cpu ?? lim.cpu ?? '50m');
  const memBase = parseQuantity(req.memory ?? lim.memory ?? '64Mi');
  const oom = (pod.status?.containerStatuses ?? []).some(
    (s: any) => s?.name === c?.name && (s?.lastState?.terminated?.reason === 'OOMKilled' || s?.state?.terminated?.reason === 'OOMKilled'),
  );
  const memLimit = parseQuantity(lim.memory);
  return {
    cpu: (Number.isFinite(cpuBase) ? cpuBase : 0.05) * (0.15 + 0.5 * jitter(`${seed}/cpu`)),
    memory: oom && Number.isFinite(memLimit) ? memLimit * 0.97 : (Number.isFinite(memBase) ? memBase : 64 * 2 ** 20) * (0.4 + 0.5 * jitter(`${seed}/mem`)),
  };
}

function runningContainers(pod: KubeObject): any[] {
  const running = new Set(
    (pod.status?.containerStatuses ?? []).filter((s: any) => s?.state?.running).map((s: any) => s.name),
  );
  return (pod.spec?.containers ?? []).filter((c: any) => running.has(c?.name));
}

function toPodMetrics(pod: KubeObject) {
  return {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      creationTimestamp: rfc3339(),
      ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}),
    },
    timestamp: rfc3339(Date.now() - 5000),
    window: '15.012s',
    containers: runningContainers(pod).map(c => {
      const u = containerUsage(pod, c);
      return { name: c.name, usage: { cpu: formatCpu(u.cpu), memory: formatMemory(u.memory) } };
    }),
  };
}

export function podMetrics(cluster: Cluster, namespace: string | undefined, name: string | undefined, q: URLSearchParams) {
  if (name) {
    const pod = cluster.store.get(T.pods, namespace, name);
    if (!pod || runningContainers(pod).length === 0) throw errors.notFound('pods', 'metrics.k8s.io', name);
    return toPodMetrics(pod);
  }
  const match = buildMatcher(T.pods, namespace, q.get('labelSelector') ?? undefined, undefined);
  const items = cluster.store
    .list(T.pods, namespace)
    .filter(p => match(p) && runningContainers(p).length > 0)
    .map(toPodMetrics);
  return { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items };
}

function toNodeMetrics(cluster: Cluster, node: KubeObject) {
  let cpu = 0.12 + 0.1 * jitter(`${node.metadata.uid}/cpu`);
  let memory = (900 + 300 * jitter(`${node.metadata.uid}/mem`)) * 2 ** 20;
  for (const pod of cluster.store.list(T.pods)) {
    if (pod.spec?.nodeName !== node.metadata.name) continue;
    for (const c of runningContainers(pod)) {
      const u = containerUsage(pod, c);
      cpu += u.cpu;
      memory += u.memory;
    }
  }
  return {
    kind: 'NodeMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: { name: node.metadata.name, creationTimestamp: rfc3339(), ...(node.metadata.labels ? { labels: node.metadata.labels } : {}) },
    timestamp: rfc3339(Date.now() - 5000),
    window: '20.028s',
    usage: { cpu: formatCpu(cpu), memory: formatMemory(memory) },
  };
}

export function nodeMetrics(cluster: Cluster, name: string | undefined, q: URLSearchParams) {
  if (name) {
    const node = cluster.store.get(T.nodes, undefined, name);
    if (!node) throw errors.notFound('nodes', 'metrics.k8s.io', name);
    return toNodeMetrics(cluster, node);
  }
  const match = buildMatcher(T.nodes, undefined, q.get('labelSelector') ?? undefined, undefined);
  return {
    kind: 'NodeMetricsList',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {},
    items: cluster.store.list(T.nodes).filter(match).map(n => toNodeMetrics(cluster, n)),
  };
}
