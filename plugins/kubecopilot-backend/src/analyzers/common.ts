import type {
  CoreV1Event,
  V1ObjectMeta,
  V1OwnerReference,
  V1Pod,
} from '@kubernetes/client-node';
import type {
  Finding,
  FindingCode,
  FindingEvidence,
  ObjectRef,
  ProposedFix,
  Severity,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, ContainerLog } from './types';

/** Higher is worse; used to sort and to merge duplicate findings. */
export const SEVERITY_RANK: Record<Severity, number> = {
  critical: 3,
  error: 2,
  warning: 1,
  info: 0,
};

/** Kinds a rollout restart (`kubectl rollout restart`) applies to. */
const RESTARTABLE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export function isRestartable(ref: ObjectRef | undefined): ref is ObjectRef {
  return !!ref && RESTARTABLE_KINDS.has(ref.kind);
}

export function refOf(
  kind: string,
  obj: { metadata?: V1ObjectMeta },
): ObjectRef {
  const namespace = obj.metadata?.namespace;
  return {
    kind,
    ...(namespace ? { namespace } : {}),
    name: obj.metadata?.name ?? '',
  };
}

export function refString(ref: ObjectRef): string {
  return `${ref.kind}/${ref.name}`;
}

export function field(path: string, value: unknown): FindingEvidence {
  return { type: 'field', path, value: String(value) };
}

export interface FindingInput {
  code: FindingCode;
  severity: Severity;
  resource: ObjectRef;
  container?: string;
  message: string;
  evidence: FindingEvidence[];
  proposedFix?: ProposedFix;
}

/** Builds a Finding with the same key layout everywhere (no `undefined` keys). */
export function makeFinding(
  analyzer: string,
  ctx: AnalysisContext,
  input: FindingInput,
): Finding {
  return {
    analyzer,
    code: input.code,
    severity: input.severity,
    cluster: ctx.cluster,
    resource: input.resource,
    ...(input.container !== undefined ? { container: input.container } : {}),
    message: input.message,
    evidence: input.evidence,
    ...(input.proposedFix ? { proposedFix: input.proposedFix } : {}),
  };
}

/**
 * Milliseconds since the epoch, or 0 when unknown. Raw JSON carries strings,
 * the typed client carries Dates; analyzers get either.
 */
export function timeOf(t: Date | string | undefined | null): number {
  if (!t) return 0;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isNaN(ms) ? 0 : ms;
}

/** A timestamp as the API server writes it (RFC 3339), whichever form it came in. */
export function stamp(t: Date | string | undefined | null): string {
  if (!t) return '';
  return t instanceof Date ? t.toISOString().replace(/\.000Z$/, 'Z') : t;
}

export function eventLastSeen(e: CoreV1Event): number {
  return (
    timeOf(e.lastTimestamp) ||
    timeOf(e.series?.lastObservedTime as Date | string | undefined) ||
    timeOf(e.eventTime as Date | string | undefined) ||
    timeOf(e.firstTimestamp) ||
    timeOf(e.metadata?.creationTimestamp)
  );
}

export function eventCount(e: CoreV1Event): number {
  return e.count ?? e.series?.count ?? 1;
}

/**
 * Events about one object, oldest first. `namespace` undefined means a
 * cluster-scoped object (Node): the kubelet files node events in `default`
 * with an empty involvedObject namespace, so the namespace is not compared.
 */
export function eventsFor(
  ctx: AnalysisContext,
  kind: string,
  namespace: string | undefined,
  name: string,
): CoreV1Event[] {
  return ctx.events
    .filter(
      e =>
        e.involvedObject?.kind === kind &&
        e.involvedObject?.name === name &&
        (namespace === undefined ||
          (e.involvedObject?.namespace ?? e.metadata?.namespace) === namespace),
    )
    .sort((a, b) => eventLastSeen(a) - eventLastSeen(b));
}

/** `spec.containers{app}` → `app`; undefined for pod-level events. */
export function containerOfEvent(e: CoreV1Event): string | undefined {
  const m =
    /spec\.(?:initContainers|containers|ephemeralContainers)\{([^}]+)\}/.exec(
      e.involvedObject?.fieldPath ?? '',
    );
  return m?.[1];
}

function containerNamesOf(pod: V1Pod): string[] {
  return [
    ...(pod.spec?.initContainers ?? []),
    ...(pod.spec?.containers ?? []),
  ].map(c => c.name);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a pod's event is about `container`. The kubelet says so in
 * `involvedObject.fieldPath`; events without it (other writers, older
 * kubelets, aggregated copies) still belong to the container when the pod
 * has only that one, or when the message names it ("container app",
 * `container "app"`, "restarting failed container app in pod …").
 */
export function eventConcernsContainer(
  e: CoreV1Event,
  pod: V1Pod,
  container: string,
): boolean {
  const named = containerOfEvent(e);
  if (named !== undefined) return named === container;
  const names = containerNamesOf(pod);
  if (names.length === 1) return names[0] === container;
  const re = new RegExp(
    `\\bcontainers? "?${escapeRegExp(container)}"?(?![\\w.-])`,
    'i',
  );
  return re.test(e.message ?? '');
}

/** The time rules take as "now": when the context was read. */
export function nowOf(ctx: AnalysisContext): number {
  return ctx.now ?? Date.now();
}

/** `3 h`, `12 min`, `2 d`: how long ago, in the unit a person would say. */
export function ago(ms: number): string {
  if (ms < 60_000) return 'less than a minute';
  const min = Math.round(ms / 60_000);
  if (min < 90) return `${min} min`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}

export function eventEvidence(e: CoreV1Event): FindingEvidence {
  return {
    type: 'event',
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.message ? { message: e.message } : {}),
    count: eventCount(e),
  };
}

/**
 * The most recent `n` events, still oldest first: a crash-looping pod can have
 * hundreds of events and the latest ones describe the current state.
 */
export function latestEvents(events: CoreV1Event[], n = 3): CoreV1Event[] {
  return events.slice(Math.max(0, events.length - n));
}

function controllerOf(
  meta: V1ObjectMeta | undefined,
): V1OwnerReference | undefined {
  const refs = meta?.ownerReferences ?? [];
  return refs.find(r => r.controller) ?? refs[0];
}

export interface WorkloadOwner {
  /** The top-level workload (Deployment, StatefulSet, CronJob, …). */
  ref: ObjectRef;
  /** The ownership chain as shown in evidence, e.g. `ReplicaSet/a-5d9 → Deployment/a`. */
  chain: string;
}

/**
 * Resolves a pod to the workload a human thinks in (Deployment rather than
 * ReplicaSet, CronJob rather than Job), so findings can be grouped by it.
 */
export function workloadOf(
  ctx: AnalysisContext,
  pod: V1Pod,
): WorkloadOwner | undefined {
  const namespace = pod.metadata?.namespace;
  const owner = controllerOf(pod.metadata);
  if (!owner) return undefined;
  const first: ObjectRef = { kind: owner.kind, namespace, name: owner.name };
  if (owner.kind === 'ReplicaSet') {
    const rs = ctx.replicasets.find(
      r =>
        r.metadata?.name === owner.name && r.metadata?.namespace === namespace,
    );
    const rsOwner = controllerOf(rs?.metadata);
    if (rsOwner?.kind === 'Deployment') {
      return chainOf(first, {
        kind: 'Deployment',
        namespace,
        name: rsOwner.name,
      });
    }
    // The ReplicaSet was not gathered: a Deployment names its ReplicaSets
    // `<deployment>-<pod-template-hash>` and stamps that hash on the pods, so
    // the name is recoverable without another API call.
    const hash = pod.metadata?.labels?.['pod-template-hash'];
    if (!rs && hash && owner.name.endsWith(`-${hash}`)) {
      const name = owner.name.slice(0, -(hash.length + 1));
      return chainOf(first, { kind: 'Deployment', namespace, name });
    }
    return { ref: first, chain: refString(first) };
  }
  if (owner.kind === 'Job') {
    const job = ctx.jobs.find(
      j =>
        j.metadata?.name === owner.name && j.metadata?.namespace === namespace,
    );
    const jobOwner = controllerOf(job?.metadata);
    if (jobOwner?.kind === 'CronJob') {
      return chainOf(first, {
        kind: 'CronJob',
        namespace,
        name: jobOwner.name,
      });
    }
  }
  return { ref: first, chain: refString(first) };
}

function chainOf(first: ObjectRef, top: ObjectRef): WorkloadOwner {
  return { ref: top, chain: `${refString(first)} → ${refString(top)}` };
}

export function ownerEvidence(owner: WorkloadOwner): FindingEvidence {
  return field('metadata.ownerReferences', owner.chain);
}

/** `Pod shop/web-5d9-abc (Deployment web)`: the owner is in every pod message. */
export function describePod(pod: V1Pod, owner?: WorkloadOwner): string {
  const base = `Pod ${pod.metadata?.namespace}/${pod.metadata?.name}`;
  return owner ? `${base} (${owner.ref.kind} ${owner.ref.name})` : base;
}

export function findLog(
  ctx: AnalysisContext,
  namespace: string | undefined,
  pod: string | undefined,
  container: string,
  previous: boolean,
): ContainerLog | undefined {
  return ctx.logs.find(
    l =>
      l.namespace === namespace &&
      l.pod === pod &&
      l.container === container &&
      l.previous === previous,
  );
}

/** Lines worth quoting: they name what went wrong. */
const ERROR_LINE =
  /\b(errors?|exceptions?|fatal|panic|traceback|caused by|failed|failure|refused|denied|unauthori[sz]ed|forbidden|timeout|timed out|killed|no such|not found|does not exist|cannot|unable|invalid|missing|oom|out of memory)\b|^E\d{4}\s\d|\blevel=(error|fatal)\b|"level":\s*"(error|fatal)"/i;

export function isErrorLine(line: string): boolean {
  return ERROR_LINE.test(line);
}

/**
 * The log lines that explain a failure: the error/exception lines (the last
 * `maxErrors` of them) plus the last `tail` lines, in log order. The tail
 * matters because a process usually prints its fatal reason just before it
 * exits; earlier error lines matter because the first error is often the cause.
 */
export function importantLogLines(
  lines: string[],
  { tail = 5, maxErrors = 10 }: { tail?: number; maxErrors?: number } = {},
): string[] {
  const nonBlank = lines
    .map((line, index) => ({ line, index }))
    .filter(l => l.line.trim() !== '');
  const errorIdx = nonBlank.filter(l => isErrorLine(l.line)).map(l => l.index);
  const keep = new Set<number>([
    ...errorIdx.slice(Math.max(0, errorIdx.length - maxErrors)),
    ...nonBlank.slice(Math.max(0, nonBlank.length - tail)).map(l => l.index),
  ]);
  return [...keep].sort((a, b) => a - b).map(i => lines[i]);
}

export function logEvidence(
  log: ContainerLog | undefined,
): FindingEvidence | undefined {
  if (!log || log.lines.length === 0) return undefined;
  const lines = importantLogLines(log.lines);
  if (lines.length === 0) return undefined;
  return {
    type: 'log',
    path: `pods/${log.pod}/log?container=${log.container}${
      log.previous ? '&previous=true' : ''
    }`,
    lines,
  };
}

/** Selector/labels as `a=b,c=d` in key order, for messages and evidence. */
export function formatLabels(
  labels: Record<string, string> | undefined,
): string {
  return Object.keys(labels ?? {})
    .sort()
    .map(k => `${k}=${labels![k]}`)
    .join(',');
}

export function conditionEvidence(
  pathPrefix: string,
  c: { type: string; status: string; reason?: string; message?: string },
): FindingEvidence[] {
  const out = [field(`${pathPrefix}[${c.type}].status`, c.status)];
  if (c.reason) out.push(field(`${pathPrefix}[${c.type}].reason`, c.reason));
  if (c.message) out.push(field(`${pathPrefix}[${c.type}].message`, c.message));
  return out;
}

/** A Kubernetes message without its final period, to embed it in a sentence. */
export function clause(message: string): string {
  return message.trim().replace(/\.+$/, '');
}

export function compact<T>(items: (T | undefined | false | null)[]): T[] {
  return items.filter((x): x is T => !!x);
}
