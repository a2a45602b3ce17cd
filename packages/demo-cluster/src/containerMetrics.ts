/**
 * cAdvisor- and kube-state-metrics-shaped series, derived from the simulated pods, so the
 * metrics charts, SLOs and metric evidence have what a real cluster's Prometheus has:
 *
 * - kube-state-metrics: `kube_pod_container_status_restarts_total` (the pod status'
 *   restartCount, so it follows the simulated kubelet's restarts),
 *   `kube_pod_container_resource_requests` / `_limits` (from the pod spec),
 *   `kube_pod_container_status_last_terminated_reason`,
 *   `kube_deployment_spec_replicas`, `kube_deployment_status_replicas_available`.
 * - cAdvisor (the kubelet's `/metrics/cadvisor`): `container_cpu_usage_seconds_total`,
 *   `container_cpu_cfs_periods_total`, `container_cpu_cfs_throttled_periods_total`,
 *   `container_memory_working_set_bytes`, for containers that run (or restart between
 *   crashes).
 *
 * Usage is a deterministic function of the pod spec, its image's traffic profile and time:
 * CPU is a base load plus the on-CPU share of the requests it serves (capped by the limit,
 * the excess shows as throttled periods); memory sits below the request, except for a
 * container whose last termination was OOMKilled (or whose image is OOM-killed): its working
 * set climbs towards the memory limit in a saw-tooth, as a leaking worker does.
 */
import { createHash } from 'node:crypto';
import { Cluster } from './cluster';
import { T } from './api/resources';
import { trafficOf } from './controllers/images';
import { parseQuantity } from './controllers/quantity';
import { KubeObject } from './types';

/** One OOM saw-tooth: from {@link OOM_FLOOR} of the limit to {@link OOM_PEAK}, in this many seconds. */
export const OOM_CYCLE_SECONDS = 20;
export const OOM_FLOOR = 0.6;
export const OOM_PEAK = 0.99;
/** The CFS period is 100 ms: ten periods a second. */
const CFS_PERIODS_PER_SECOND = 10;
/** The share of a request's wall time spent on the CPU. */
const ON_CPU_SHARE = 0.1;

function jitter(seed: string): number {
  return createHash('sha256').update(seed).digest()[0] / 255; // 0..1, stable
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(values: Record<string, string>): string {
  return `{${Object.entries(values)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',')}}`;
}

function num(value: number): string {
  const rounded = Math.round(value * 1e6) / 1e6;
  return rounded === 0 ? '0' : rounded.toFixed(6).replace(/\.?0+$/, '');
}

function parseTime(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : NaN;
}

function isReady(pod: KubeObject): boolean {
  return (
    pod.status?.phase === 'Running' &&
    (pod.status?.conditions ?? []).some((c: any) => c?.type === 'Ready' && c?.status === 'True')
  );
}

/** What cAdvisor would measure of one container at `now`. */
export interface ContainerUsage {
  /** CPU cores in use (after throttling). */
  cpuCores: number;
  /** Fraction of CFS periods throttled, 0..1 (0 without a CPU limit). */
  throttledRatio: number;
  memoryBytes: number;
  /** Seconds since the container (instance) started: the age of its counters. */
  uptimeSeconds: number;
}

function resourceOf(c: any, kind: 'requests' | 'limits', resource: 'cpu' | 'memory'): number | undefined {
  const value = parseQuantity(c?.resources?.[kind]?.[resource]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** A crashed container the kubelet starts again (and again): it runs between back-offs. */
function restartsAfterCrash(pod: KubeObject, status: any): boolean {
  const terminated = status.state?.terminated;
  if (status.state?.waiting?.reason === 'CrashLoopBackOff') return Boolean(status.lastState?.terminated);
  if (!terminated) return false;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  return policy === 'Always' || (policy === 'OnFailure' && terminated.exitCode !== 0);
}

/**
 * Usage of container `c` of `pod`, or undefined when it does not run: waiting for an image or
 * its configuration, or terminated for good. A crash-looping container counts (it runs between
 * back-offs), with counters that restart with each instance.
 */
export function containerUsage(cluster: Cluster, pod: KubeObject, c: any, now: number): ContainerUsage | undefined {
  const status = (pod.status?.containerStatuses ?? []).find((s: any) => s?.name === c?.name);
  if (!status) return undefined;
  if (!status.state?.running && !restartsAfterCrash(pod, status)) return undefined;
  const startedCandidates = [
    status.state?.running?.startedAt,
    status.state?.terminated?.startedAt,
    status.lastState?.terminated?.startedAt,
    pod.status?.startTime,
    pod.metadata.creationTimestamp,
  ];
  const started = startedCandidates.map(parseTime).find(t => !Number.isNaN(t)) ?? now;
  const uptimeSeconds = Math.max(0, (now - started) / 1000);
  const seed = `${pod.metadata.uid ?? pod.metadata.name}/${c.name}`;

  const cpuRequest = resourceOf(c, 'requests', 'cpu');
  const cpuLimit = resourceOf(c, 'limits', 'cpu');
  const base = (cpuRequest ?? cpuLimit ?? 0.05) * (0.15 + 0.3 * jitter(`${seed}/cpu`));
  const profile = trafficOf(cluster.behaviors, c.image, c);
  const serving = isReady(pod) ? profile.rps * (profile.p50Ms / 1000) * ON_CPU_SHARE : 0;
  const demand = base + serving;
  const cpuCores = cpuLimit ? Math.min(demand, cpuLimit) : demand;
  // Throttling starts before the average reaches the limit: bursts hit it first.
  const throttledRatio = cpuLimit ? Math.min(1, Math.max(0, (demand / cpuLimit - 0.7) / 0.6)) : 0;

  const memRequest = resourceOf(c, 'requests', 'memory');
  const memLimit = resourceOf(c, 'limits', 'memory');
  const oomKilled =
    status.lastState?.terminated?.reason === 'OOMKilled' || cluster.behaviors.behaviorOf(c.image, c) === 'OOMKilled';
  let memoryBytes: number;
  if (oomKilled && memLimit) {
    const phase = (uptimeSeconds % OOM_CYCLE_SECONDS) / OOM_CYCLE_SECONDS;
    memoryBytes = memLimit * (OOM_FLOOR + (OOM_PEAK - OOM_FLOOR) * phase);
  } else {
    const reference = memRequest ?? (memLimit ? memLimit * 0.8 : 64 * 2 ** 20);
    memoryBytes = reference * (0.45 + 0.35 * jitter(`${seed}/mem`));
  }
  return { cpuCores, throttledRatio, memoryBytes, uptimeSeconds };
}

/** The kube-state-metrics and cAdvisor exposition text of the cluster at `now`. */
export function renderContainerMetrics(cluster: Cluster, now: number = Date.now()): string {
  const families: Record<string, { help: string; type: 'counter' | 'gauge'; lines: string[] }> = {};
  const add = (name: string, type: 'counter' | 'gauge', help: string, l: Record<string, string>, value: number) => {
    families[name] ??= { help, type, lines: [] };
    families[name].lines.push(`${name}${labels(l)} ${num(value)}`);
  };

  const pods = [...cluster.store.list(T.pods)].sort((a, b) =>
    `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`),
  );
  for (const pod of pods) {
    const namespace = pod.metadata.namespace!;
    const podName = pod.metadata.name!;
    const node = String(pod.spec?.nodeName ?? '');
    for (const c of pod.spec?.containers ?? []) {
      const status = (pod.status?.containerStatuses ?? []).find((s: any) => s?.name === c?.name);
      const base = { namespace, pod: podName, container: String(c.name) };
      if (status) {
        add(
          'kube_pod_container_status_restarts_total',
          'counter',
          'The number of container restarts per container.',
          { ...base, uid: String(pod.metadata.uid ?? '') },
          Number(status.restartCount ?? 0),
        );
        const reason = status.lastState?.terminated?.reason;
        if (typeof reason === 'string') {
          add(
            'kube_pod_container_status_last_terminated_reason',
            'gauge',
            'Describes the last reason the container was in terminated state.',
            { ...base, reason },
            1,
          );
        }
      }
      for (const kind of ['requests', 'limits'] as const) {
        for (const [resource, unit] of [
          ['cpu', 'core'],
          ['memory', 'byte'],
        ] as const) {
          const value = resourceOf(c, kind, resource);
          if (value === undefined) continue;
          add(
            `kube_pod_container_resource_${kind}`,
            'gauge',
            `The number of ${kind === 'limits' ? 'limit' : 'requested'} resource by a container.`,
            { ...base, node, resource, unit },
            value,
          );
        }
      }
      const usage = containerUsage(cluster, pod, c, now);
      if (!usage) continue;
      const cadvisor = { ...base, image: String(c.image ?? ''), name: `k8s_${c.name}_${podName}_${namespace}` };
      add(
        'container_cpu_usage_seconds_total',
        'counter',
        'Cumulative cpu time consumed in seconds.',
        { ...cadvisor, cpu: 'total' },
        usage.cpuCores * usage.uptimeSeconds,
      );
      if (resourceOf(c, 'limits', 'cpu') !== undefined) {
        const periods = usage.uptimeSeconds * CFS_PERIODS_PER_SECOND;
        add('container_cpu_cfs_periods_total', 'counter', 'Number of elapsed enforcement period intervals.', cadvisor, periods);
        add(
          'container_cpu_cfs_throttled_periods_total',
          'counter',
          'Number of throttled period intervals.',
          cadvisor,
          periods * usage.throttledRatio,
        );
      }
      add('container_memory_working_set_bytes', 'gauge', 'Current working set in bytes.', cadvisor, usage.memoryBytes);
    }
  }

  for (const deployment of cluster.store.list(T.deployments)) {
    const l = { namespace: deployment.metadata.namespace!, deployment: deployment.metadata.name! };
    add(
      'kube_deployment_spec_replicas',
      'gauge',
      'Number of desired pods for a deployment.',
      l,
      Number(deployment.spec?.replicas ?? 1),
    );
    add(
      'kube_deployment_status_replicas_available',
      'gauge',
      'The number of available replicas per deployment.',
      l,
      Number(deployment.status?.availableReplicas ?? 0),
    );
  }

  return Object.entries(families)
    .map(([name, f]) => `# HELP ${name} ${f.help}\n# TYPE ${name} ${f.type}\n${f.lines.join('\n')}\n`)
    .join('');
}

