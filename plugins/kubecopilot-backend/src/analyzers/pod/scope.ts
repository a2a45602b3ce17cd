import type {
  CoreV1Event,
  V1Container,
  V1ContainerStatus,
  V1Pod,
  V1Probe,
} from '@kubernetes/client-node';
import type { FindingEvidence } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from '../types';
import type { WorkloadOwner } from '../common';

/** The analyzer name every pod finding carries. */
export const NAME = 'pod';

/** One container with its spec, status and where both live in the Pod. */
export interface ContainerView {
  name: string;
  spec?: V1Container;
  status: V1ContainerStatus;
  /** `spec.containers[app]` or `spec.initContainers[init]`. */
  specPath: string;
  /** `status.containerStatuses[app]` or `status.initContainerStatuses[init]`. */
  statusPath: string;
}

export function containersOf(pod: V1Pod): ContainerView[] {
  const views = (
    statuses: V1ContainerStatus[] | undefined,
    specs: V1Container[] | undefined,
    specKey: string,
    statusKey: string,
  ): ContainerView[] =>
    (statuses ?? []).map(status => ({
      name: status.name,
      spec: specs?.find(s => s.name === status.name),
      status,
      specPath: `spec.${specKey}[${status.name}]`,
      statusPath: `status.${statusKey}[${status.name}]`,
    }));
  return [
    ...views(
      pod.status?.initContainerStatuses,
      pod.spec?.initContainers,
      'initContainers',
      'initContainerStatuses',
    ),
    ...views(
      pod.status?.containerStatuses,
      pod.spec?.containers,
      'containers',
      'containerStatuses',
    ),
  ];
}

/** Everything the per-container rules share about one pod. */
export interface PodScope {
  ctx: AnalysisContext;
  pod: V1Pod;
  owner?: WorkloadOwner;
  events: CoreV1Event[];
  /** The owner evidence every pod finding starts with (empty for bare pods). */
  base: FindingEvidence[];
}

export function ownerName(s: PodScope): string {
  return s.owner
    ? `${s.owner.ref.kind} ${s.owner.ref.name}`
    : `pod ${s.pod.metadata?.name}`;
}

export function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter(i => {
    const k = key(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** A probe as one line for messages and evidence. */
export function describeProbe(p: V1Probe | undefined): string {
  if (!p) return 'not configured';
  let what = 'probe';
  if (p.httpGet)
    what = `httpGet ${p.httpGet.path ?? '/'} on port ${p.httpGet.port}`;
  else if (p.tcpSocket) what = `tcpSocket on port ${p.tcpSocket.port}`;
  else if (p.grpc) what = `grpc on port ${p.grpc.port}`;
  else if (p.exec) what = `exec ${(p.exec.command ?? []).join(' ')}`;
  return `${what}, periodSeconds ${p.periodSeconds ?? 10}, timeoutSeconds ${
    p.timeoutSeconds ?? 1
  }, failureThreshold ${p.failureThreshold ?? 3}`;
}
