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

export async function serveLogs(
  hc: HandlerContext,
  _req: IncomingMessage,
  res: ServerResponse,
  namespace: string,
  name: string,
  q: URLSearchParams,
): Promise<void> {
  const { cluster } = hc;
  const tailLines = intParam(q, 'tailLines', 0);
  const limitBytes = intParam(q, 'limitBytes', 1);
  const sinceSeconds = intParam(q, 'sinceSeconds', 1);
  const sinceTimeRaw = q.get('sinceTime');
  const sinceTime = sinceTimeRaw ? parseTime(sinceTimeRaw) : undefined;
  if (sinceTimeRaw && sinceTime === undefined) throw errors.badRequest(`invalid value for sinceTime: "${sinceTimeRaw}"`);
  if (sinceSeconds !== undefined && sinceTime !== undefined) {
    throw errors.invalid('PodLogOptions', '', '', [{ field: '', reason: 'FieldValueForbidden', message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified' }]);
  }
  const previous = q.get('previous') === 'true' || q.get('previous') === '1';
  const timestamps = q.get('timestamps') === 'true' || q.get('timestamps') === '1';
  const follow = q.get('follow') === 'true' || q.get('follow') === '1';

  const pod = cluster.api.get(T.pods, namespace, name);
  const containers: any[] = pod.spec?.containers ?? [];
  const inits: any[] = pod.spec?.initContainers ?? [];
  const ephemeral: any[] = pod.spec?.ephemeralContainers ?? [];
  let containerName = q.get('container') ?? '';
  if (!containerName) {
    if (containers.length === 1 && inits.length === 0 && ephemeral.length === 0) containerName = containers[0]?.name;
    else if (containers.length === 1) containerName = containers[0]?.name;
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

  let lines: string[];
  let startMs: number | undefined;
  let running = false;
  if (previous) {
    const hasPrevious = Boolean(cs?.lastState?.terminated) || explicit(true) !== undefined;
    if (!hasPrevious) {
      throw errors.badRequest(`previous terminated container "${containerName}" in pod "${name}" not found`);
    }
    lines = previousLines() ?? [];
    startMs = parseTime(cs?.lastState?.terminated?.startedAt);
  } else if (explicit(false) !== undefined) {
    lines = explicit(false)!;
    startMs = parseTime(cs?.state?.running?.startedAt ?? cs?.state?.terminated?.startedAt);
    running = Boolean(cs?.state?.running);
  } else if (cs?.state?.running) {
    lines = managed ? kubelet.logsFor(pod, container, false) ?? [] : [];
    startMs = parseTime(cs.state.running.startedAt);
    running = true;
  } else if (cs?.state?.terminated) {
    lines = managed ? kubelet.logsFor(pod, container, false) ?? [] : [];
    startMs = parseTime(cs.state.terminated.startedAt);
  } else if (cs?.lastState?.terminated) {
    // crash-looping: the last terminated instance's output
    lines = previousLines() ?? [];
    startMs = parseTime(cs.lastState.terminated.startedAt);
  } else if (cs?.state?.waiting) {
    const reason = cs.state.waiting.reason;
    const details: Record<string, string> = {
      ErrImagePull: "image can't be pulled",
      ImagePullBackOff: 'trying and failing to pull image',
    };
    const detail = details[reason] ?? reason;
    throw errors.badRequest(`container "${containerName}" in pod "${name}" is waiting to start: ${detail}`);
  } else {
    throw errors.badRequest(`container "${containerName}" in pod "${name}" is waiting to start - no logs yet`);
  }

  // timestamps: taken from the line when it starts with one, else synthesised from the start time
  const base = startMs ?? parseTime(pod.status?.startTime) ?? Date.now() - lines.length * 1000;
  let entries = lines.map((line, i) => {
    const m = TIMESTAMP_PREFIX.exec(line);
    const own = m ? parseTime(m[1]) : undefined;
    const t = own ?? base + i * 137;
    return { t, ts: rfc3339Nano(t), text: String(line) };
  });
  const cutoff = sinceSeconds !== undefined ? Date.now() - sinceSeconds * 1000 : sinceTime;
  if (cutoff !== undefined) entries = entries.filter(e => e.t >= cutoff);
  if (tailLines !== undefined) entries = tailLines === 0 ? [] : entries.slice(-tailLines);
  let out = entries.map(e => `${timestamps ? `${e.ts} ` : ''}${e.text}\n`).join('');
  if (limitBytes !== undefined) {
    const buf = Buffer.from(out, 'utf8');
    if (buf.length > limitBytes) out = buf.subarray(0, limitBytes).toString('utf8');
  }

  if (!follow || !running) {
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
