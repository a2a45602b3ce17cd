/** The simulated scheduler: node choice by readiness, taints, nodeSelector and resource requests. */
import { KubeObject } from '../types';
import { Store } from '../store/store';
import { T } from '../api/resources';
import { isPodActive } from './context';
import { parseQuantity } from './quantity';

export interface ScheduleResult {
  node?: KubeObject;
  /** FailedScheduling message when no node fits. */
  message?: string;
}

/** Effective requests of a pod (requests default to limits, as the API server defaults them). */
export function podRequests(pod: KubeObject): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of pod.spec?.containers ?? []) {
    const req = { ...(c?.resources?.limits ?? {}), ...(c?.resources?.requests ?? {}) };
    for (const [k, v] of Object.entries(req)) {
      const n = parseQuantity(v);
      if (Number.isFinite(n)) out[k] = (out[k] ?? 0) + n;
    }
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const req = { ...(c?.resources?.limits ?? {}), ...(c?.resources?.requests ?? {}) };
    for (const [k, v] of Object.entries(req)) {
      const n = parseQuantity(v);
      if (Number.isFinite(n)) out[k] = Math.max(out[k] ?? 0, n);
    }
  }
  return out;
}

function tolerates(pod: KubeObject, taint: any): boolean {
  return (pod.spec?.tolerations ?? []).some((t: any) => {
    if (t?.effect && t.effect !== taint?.effect) return false;
    if (t?.operator === 'Exists') return !t.key || t.key === taint?.key;
    return t?.key === taint?.key && (t?.value ?? '') === (taint?.value ?? '');
  });
}

export function schedule(store: Store, pod: KubeObject): ScheduleResult {
  const nodes = store.list(T.nodes);
  const pods = store.list(T.pods).filter(p => isPodActive(p) && p.spec?.nodeName);
  const requests = podRequests(pod);
  const reasons = new Map<string, number>();
  const fail = (r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
  let onlyResources = true;
  const candidates: { node: KubeObject; load: number }[] = [];
  for (const node of nodes) {
    const ready = (node.status?.conditions ?? []).some((c: any) => c?.type === 'Ready' && c?.status === 'True');
    if (!ready) {
      fail("node(s) had untolerated taint {node.kubernetes.io/not-ready: }");
      onlyResources = false;
      continue;
    }
    if (node.spec?.unschedulable) {
      fail('node(s) were unschedulable');
      onlyResources = false;
      continue;
    }
    const taint = (node.spec?.taints ?? []).find(
      (t: any) => (t?.effect === 'NoSchedule' || t?.effect === 'NoExecute') && !tolerates(pod, t),
    );
    if (taint) {
      fail(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
      onlyResources = false;
      continue;
    }
    const selector: Record<string, string> = pod.spec?.nodeSelector ?? {};
    const labels = node.metadata.labels ?? {};
    if (Object.entries(selector).some(([k, v]) => labels[k] !== v)) {
      fail("node(s) didn't match Pod's node affinity/selector");
      onlyResources = false;
      continue;
    }
    const onNode = pods.filter(p => p.spec.nodeName === node.metadata.name);
    const used: Record<string, number> = {};
    for (const p of onNode) {
      for (const [k, v] of Object.entries(podRequests(p))) used[k] = (used[k] ?? 0) + v;
    }
    const allocatable: Record<string, unknown> = node.status?.allocatable ?? {};
    let fits = true;
    for (const [res, amount] of Object.entries(requests)) {
      if (amount <= 0) continue;
      let cap = parseQuantity(allocatable[res]);
      // unlisted cpu/memory: unlimited; unlisted extended resources (GPUs...): none
      if (allocatable[res] === undefined) cap = res === 'cpu' || res === 'memory' ? Infinity : 0;
      if ((used[res] ?? 0) + amount > cap) {
        fail(`Insufficient ${res}`);
        fits = false;
        break;
      }
    }
    const maxPods = allocatable.pods === undefined ? 110 : parseQuantity(allocatable.pods);
    if (fits && onNode.length + 1 > maxPods) {
      fail('Too many pods');
      fits = false;
    }
    if (fits) candidates.push({ node, load: onNode.length });
  }
  if (candidates.length) {
    candidates.sort((a, b) => a.load - b.load || String(a.node.metadata.name).localeCompare(String(b.node.metadata.name)));
    return { node: candidates[0].node };
  }
  const detail = [...reasons.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([r, n]) => `${n} ${r}`)
    .join(', ');
  const total = nodes.length;
  const preemption = onlyResources
    ? `preemption: 0/${total} nodes are available: ${total} No preemption victims found for incoming pod.`
    : `preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
  return {
    message: total === 0 ? `no nodes available to schedule pods` : `0/${total} nodes are available: ${detail}. ${preemption}`,
  };
}

/** The next free pod IP on a node (from its podCIDR, 10.244.N.0/24 style). */
export function allocatePodIp(store: Store, node: KubeObject): string {
  const cidr = String(node.spec?.podCIDR ?? '');
  let prefix: string;
  const m = /^(\d+\.\d+\.\d+)\.\d+\/\d+$/.exec(cidr);
  if (m) prefix = m[1];
  else {
    const idx = store.list(T.nodes).findIndex(n => n.metadata.name === node.metadata.name);
    prefix = `10.244.${Math.max(0, idx) + 1}`;
  }
  const used = new Set(store.list(T.pods).map(p => p.status?.podIP).filter(Boolean));
  for (let i = 2; i < 255; i++) {
    const ip = `${prefix}.${i}`;
    if (!used.has(ip)) return ip;
  }
  return `${prefix}.254`;
}

export function nodeInternalIp(node: KubeObject): string {
  return (node.status?.addresses ?? []).find((a: any) => a?.type === 'InternalIP')?.address ?? '10.0.0.10';
}
