import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { ContainerLog } from '../../analyzers';
import { ClusterReads, errorName, reader } from './reader';

/** How logs are read and cut. */
export interface LogOptions {
  tailLines: number;
  limitBytes: number;
  maxLogPods: number;
  toLines: (text: string) => string[];
}

/** A log read the gatherer makes: one container, current or previous instance. */
interface LogRead {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
}

/** The kubelet's crash back-off resets after this long running. */
const SETTLED_MS = 10 * 60_000;

const statusesOf = (pod: V1Pod) => [
  ...(pod.status?.initContainerStatuses ?? []).map(s => ({ s, init: true })),
  ...(pod.status?.containerStatuses ?? []).map(s => ({ s, init: false })),
];

/** Whether the container is in trouble now (not merely in its history). */
function troubledNow(
  s: V1ContainerStatus,
  init: boolean,
  now: number,
): boolean {
  const waiting = s.state?.waiting?.reason;
  if (
    waiting &&
    waiting !== 'ContainerCreating' &&
    waiting !== 'PodInitializing'
  )
    return true;
  if (s.state?.terminated)
    return s.state.terminated.exitCode !== 0 || (!init && !s.lastState);
  if (s.state?.running && s.ready === false) return true;
  const started = Date.parse(String(s.state?.running?.startedAt ?? ''));
  // Restarted and not yet past the back-off reset: still unsettled.
  return (
    (s.restartCount ?? 0) > 0 &&
    !Number.isNaN(started) &&
    now - started < SETTLED_MS
  );
}

/** How urgently a pod's logs are wanted: crash-looping first. */
function logPriority(pod: V1Pod, now: number): number {
  const statuses = statusesOf(pod);
  if (statuses.some(x => x.s.state?.waiting?.reason === 'CrashLoopBackOff'))
    return 4;
  if (statuses.some(x => troubledNow(x.s, x.init, now))) return 3;
  if (statuses.some(x => (x.s.restartCount ?? 0) > 0)) return 2;
  return 0;
}

/** The controller a pod belongs to: replicas of one template are alike. */
function controllerKey(pod: V1Pod): string {
  const o =
    pod.metadata?.ownerReferences?.find(r => r.controller) ??
    pod.metadata?.ownerReferences?.[0];
  return o
    ? `${pod.metadata?.namespace}/${o.kind}/${o.name}`
    : `${pod.metadata?.namespace}/Pod/${pod.metadata?.name}`;
}

/**
 * Which logs to read. Every container in trouble now: its log, and its
 * previous instance's when it restarted. Healthy replicas of one template
 * are alike, so of each controller's healthy containers one replica's log
 * is read (and one recovered replica's previous log, the why of its
 * history) — not every replica's, which costs a call each and says the
 * same thing.
 */
export function selectLogReads(
  pods: V1Pod[],
  maxLogPods: number,
  now: number,
): LogRead[] {
  const ranked = pods
    .filter(p => !!p.spec?.nodeName)
    .map((pod, index) => ({ pod, index, priority: logPriority(pod, now) }))
    .sort((a, b) => b.priority - a.priority || a.index - b.index)
    .slice(0, maxLogPods)
    .sort((a, b) => a.index - b.index);
  const sampled = new Set<string>();
  const reads: LogRead[] = [];
  for (const { pod } of ranked) {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const group = controllerKey(pod);
    for (const { s, init } of statusesOf(pod)) {
      const read = (previous: boolean) =>
        reads.push({ namespace, pod: name, container: s.name, previous });
      const restarted =
        (s.restartCount ?? 0) > 0 ||
        s.state?.waiting?.reason === 'CrashLoopBackOff';
      // Never started: there is no log yet, the API would answer 400.
      const started =
        !!s.state?.running ||
        !!s.state?.terminated ||
        !!s.lastState?.terminated;
      if (troubledNow(s, init, now)) {
        if (started) read(false);
        if (restarted) read(true);
        continue;
      }
      // A finished init container says little.
      if (init && !s.state?.running) continue;
      const healthy = `${group}/${s.name}/current`;
      if (started && !sampled.has(healthy)) {
        sampled.add(healthy);
        read(false);
      }
      const history = `${group}/${s.name}/previous`;
      if (restarted && !sampled.has(history)) {
        sampled.add(history);
        read(true);
      }
    }
  }
  return reads;
}

/** The last lines of the selected containers' logs. */
export async function readLogs(
  reads: ClusterReads,
  pods: V1Pod[],
  options: LogOptions,
  now: number,
): Promise<ContainerLog[]> {
  const { readText, failed } = reader(reads);
  const logs = await Promise.all(
    selectLogReads(pods, options.maxLogPods, now).map(r => {
      const what = `the ${r.previous ? 'previous ' : ''}log of ${r.namespace}/${
        r.pod
      } container ${r.container}`;
      return readText(
        what,
        `/api/v1/namespaces/${r.namespace}/pods/${r.pod}/log`,
        {
          container: r.container,
          tailLines: options.tailLines,
          limitBytes: options.limitBytes,
          ...(r.previous ? { previous: true } : {}),
        },
      )
        .then(text => ({ ...r, lines: options.toLines(text) } as ContainerLog))
        .catch(e => {
          // 400: no such log (not started yet, no previous instance);
          // 404: the pod is gone. Neither is a failure to report.
          const name = errorName(e);
          if (name !== 'InputError' && name !== 'NotFoundError')
            failed(what)(e);
          return undefined;
        });
    }),
  );
  return logs.filter((l): l is ContainerLog => l !== undefined);
}
