/** `pods/log`: container, previous, tailLines, limitBytes, timestamps, sinceSeconds/sinceTime, follow. */
import { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../api/errors';
import { T } from '../api/resources';
import { parseTime, rfc3339Nano } from '../util';
import type { HandlerContext } from './handlers';

const TIMESTAMP_PREFIX = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))\s/;

function intParam(q: URLSearchParams, key: string, min: number): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw errors.badRequest(`invalid value for ${key}: "${v}"`);
  const n = Number(v);
  if (n < min) {
    throw errors.invalid('PodLogOptions', '', '', [
      { field: key, reason: 'FieldValueInvalid', message: `Invalid value: ${n}: must be greater than or equal to ${min}` },
    ]);
  }
  return n;
}

type LogOptions = {
  tailLines?: number;
  limitBytes?: number;
  sinceSeconds?: number;
  sinceTime?: number;
  previous: boolean;
  timestamps: boolean;
  follow: boolean;
};

/** PodLogOptions from the query, validated as the API server does. */
function logOptions(q: URLSearchParams): LogOptions {
  const tailLines = intParam(q, 'tailLines', 0);
  const limitBytes = intParam(q, 'limitBytes', 1);
  const sinceSeconds = intParam(q, 'sinceSeconds', 1);
  const sinceTimeRaw = q.get('sinceTime');
  const sinceTime = sinceTimeRaw ? parseTime(sinceTimeRaw) : undefined;
  if (sinceTimeRaw && sinceTime === undefined) throw errors.badRequest(`invalid value for sinceTime: "${sinceTimeRaw}"`);
  if (sinceSeconds !== undefined && sinceTime !== undefined) {
    throw errors.invalid('PodLogOptions', '', '', [{ field: '', reason: 'FieldValueForbidden', message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified' }]);
  }
  const flag = (key: string) => q.get(key) === 'true' || q.get(key) === '1';
  return {
    tailLines,
    limitBytes,
    sinceSeconds,
    sinceTime,
    previous: flag('previous'),
    timestamps: flag('timestamps'),
    follow: flag('follow'),
  };
}

/** The container the request names, or the pod's only one. */
function pickContainer(pod: any, name: string, requested: string): { containerName: string; container: any } {
  const containers: any[] = pod.spec?.containers ?? [];
  const inits: any[] = pod.spec?.initContainers ?? [];
  const ephemeral: any[] = pod.spec?.ephemeralContainers ?? [];
  let containerName = requested;
  if (!containerName) {
    if (containers.length === 1) containerName = containers[0]?.name;
    else {
      let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.map(c => c?.name).join(' ')}]`;
      if (inits.length) msg += ` or one of the init containers: [${inits.map(c => c?.name).join(' ')}]`;
      if (ephemeral.length) msg += ` or one of the ephemeral containers: [${ephemeral.map(c => c?.name).join(' ')}]`;
      throw errors.badRequest(msg);
    }
  }
  const container = [...containers, ...inits, ...ephemeral].find(c => c?.name === containerName);
  if (!container) throw errors.badRequest(`container ${containerName} is not valid for pod ${name}`);
  if (!pod.spec?.nodeName) throw errors.badRequest(`pod ${name} does not have a host assigned`);
  return { containerName, container };
}

/** The lines of the instance asked for, when it started, and whether it still runs. */
function instanceLines(
  hc: HandlerContext,
  pod: any,
  target: { namespace: string; name: string; containerName: string; container: any },
  previous: boolean,
): { lines: string[]; startMs?: number; running: boolean } {
  const { cluster } = hc;
  const { namespace, name, containerName, container } = target;
  const statuses: any[] = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ];
  const cs = statuses.find(s => s?.name === containerName);
  const kubelet = cluster.controllers.kubelet;
  const managed = kubelet.isManaged(pod);
  const explicit = (prev: boolean) => cluster.logs.get(namespace, name, containerName, prev);
  const previousLines = (): string[] | undefined =>
    explicit(true) ?? (managed ? kubelet.logsFor(pod, container, true) : undefined);

  if (previous) {
    const hasPrevious = Boolean(cs?.lastState?.terminated) || explicit(true) !== undefined;
    if (!hasPrevious) {
      throw errors.badRequest(`previous terminated container "${containerName}" in pod "${name}" not found`);
    }
    return { lines: previousLines() ?? [], startMs: parseTime(cs?.lastState?.terminated?.startedAt), running: false };
  }
  if (explicit(false) !== undefined) {
    return {
      lines: explicit(false)!,
      startMs: parseTime(cs?.state?.running?.startedAt ?? cs?.state?.terminated?.startedAt),
      running: Boolean(cs?.state?.running),
    };
  }
  if (cs?.state?.running) {
    return { lines: managed ? kubelet.logsFor(pod, container, false) ?? [] : [], startMs: parseTime(cs.state.running.startedAt), running: true };
  }
  if (cs?.state?.terminated) {
    return { lines: managed ? kubelet.logsFor(pod, container, false) ?? [] : [], startMs: parseTime(cs.state.terminated.startedAt), running: false };
  }
  if (cs?.lastState?.terminated) {
    // crash-looping: the last terminated instance's output
    return { lines: previousLines() ?? [], startMs: parseTime(cs.lastState.terminated.startedAt), running: false };
  }
  if (cs?.state?.waiting) {
    const reason = cs.state.waiting.reason;
    const details: Record<string, string> = {
      ErrImagePull: "image can't be pulled",
      ImagePullBackOff: 'trying and failing to pull image',
    };
    const detail = details[reason] ?? reason;
    throw errors.badRequest(`container "${containerName}" in pod "${name}" is waiting to start: ${detail}`);
  }
  throw errors.badRequest(`container "${containerName}" in pod "${name}" is waiting to start - no logs yet`);
}

/** The body: lines filtered by time and count, with timestamps when asked, cut at limitBytes. */
function formatLines(lines: string[], base: number, opts: LogOptions): string {
  // timestamps: taken from the line when it starts with one, else synthesised from the start time
  let entries = lines.map((line, i) => {
    const m = TIMESTAMP_PREFIX.exec(line);
    const own = m ? parseTime(m[1]) : undefined;
    const t = own ?? base + i * 137;
    return { t, ts: rfc3339Nano(t), text: String(line) };
  });
  const cutoff = opts.sinceSeconds !== undefined ? Date.now() - opts.sinceSeconds * 1000 : opts.sinceTime;
  if (cutoff !== undefined) entries = entries.filter(e => e.t >= cutoff);
  if (opts.tailLines !== undefined) entries = opts.tailLines === 0 ? [] : entries.slice(-opts.tailLines);
  let out = entries.map(e => `${opts.timestamps ? `${e.ts} ` : ''}${e.text}\n`).join('');
  if (opts.limitBytes !== undefined) {
    const buf = Buffer.from(out, 'utf8');
    if (buf.length > opts.limitBytes) out = buf.subarray(0, opts.limitBytes).toString('utf8');
  }
  return out;
}

export async function serveLogs(
  hc: HandlerContext,
  _req: IncomingMessage,
  res: ServerResponse,
  namespace: string,
  name: string,
  q: URLSearchParams,
): Promise<void> {
  const { cluster } = hc;
  const opts = logOptions(q);
  const pod = cluster.api.get(T.pods, namespace, name);
  const { containerName, container } = pickContainer(pod, name, q.get('container') ?? '');
  const { lines, startMs, running } = instanceLines(hc, pod, { namespace, name, containerName, container }, opts.previous);
  const base = startMs ?? parseTime(pod.status?.startTime) ?? Date.now() - lines.length * 1000;
  const out = formatLines(lines, base, opts);

  if (!opts.follow || !running) {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(out), 'Cache-Control': 'no-cache, private' });
    res.end(out);
    return;
  }
  // follow: stream what there is and keep the connection open until the client goes away
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  if (out) res.write(out);
  const stop = hc.watches.register(() => res.end());
  const unsubscribe = cluster.store.subscribe(change => {
    if (change.rt.kind === 'Pod' && change.type === 'DELETED' && change.object.metadata.uid === pod.metadata.uid) res.end();
  });
  const cleanup = () => {
    stop();
    unsubscribe();
  };
  res.on('close', cleanup);
}
