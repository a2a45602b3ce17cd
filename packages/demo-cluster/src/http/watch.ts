/**
 * Watches (`?watch=true`): newline-delimited JSON events over a chunked response. Resumes from
 * `resourceVersion` (replaying the change history; 410 Expired when too old), sends the current
 * objects as ADDED when no resourceVersion (or "0") is given or `sendInitialEvents=true`,
 * honours selectors, `timeoutSeconds` and `allowWatchBookmarks`, and renders Table /
 * PartialObjectMetadata objects when asked.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { ResourceType, apiVersionOf, resourceKey } from '../api/resources';
import { buildMatcher } from '../api/objects';
import { errors, statusBody } from '../api/errors';
import { KubeObject } from '../types';
import { Change } from '../store/store';
import { negotiate, Representation } from './negotiate';
import { partialObjectMetadata, toTable } from '../printing/table';
import type { HandlerContext } from './handlers';

const BOOKMARK_INTERVAL_MS = 30_000;

/** Tracks open streams so `stop()` can end them. */
export class WatchRegistry {
  private readonly closers = new Set<() => void>();

  register(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  closeAll() {
    for (const c of [...this.closers]) {
      try {
        c();
      } catch {
        // ignore
      }
    }
    this.closers.clear();
  }

  get size() {
    return this.closers.size;
  }
}

function watchRepresentation(accept: string | undefined): Representation {
  try {
    return negotiate(accept, true);
  } catch {
    return negotiate(accept, false);
  }
}

export function serveWatch(
  hc: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  rt: ResourceType,
  namespace: string | undefined,
  q: URLSearchParams,
) {
  const { store } = hc.cluster;
  const match = buildMatcher(rt, namespace, q.get('labelSelector') ?? undefined, q.get('fieldSelector') ?? undefined);
  const rep = watchRepresentation(req.headers.accept);
  const rvParam = q.get('resourceVersion') ?? '';
  if (rvParam !== '' && !/^\d+$/.test(rvParam)) throw errors.badRequest(`invalid resource version: ${rvParam}`);
  const timeoutRaw = q.get('timeoutSeconds');
  if (timeoutRaw !== null && !/^\d+$/.test(timeoutRaw)) throw errors.badRequest(`invalid value for timeoutSeconds: "${timeoutRaw}"`);
  const bookmarks = q.get('allowWatchBookmarks') === 'true';
  const sendInitial = q.get('sendInitialEvents') === 'true';
  const key = resourceKey(rt);

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders?.();

  let first = true;
  let closed = false;
  const render = (o: KubeObject): unknown => {
    const obj = { ...o, apiVersion: apiVersionOf(rt), kind: rt.kind };
    if (rep.as === 'Table') {
      const t = toTable(rt.kind, [obj], { noHeaders: !first, apiVersion: rep.apiVersion });
      first = false;
      return t;
    }
    if (rep.as === 'PartialObjectMetadata' || rep.as === 'PartialObjectMetadataList') return partialObjectMetadata(obj, rep.apiVersion);
    return obj;
  };
  const write = (type: string, object: unknown) => {
    if (closed || res.destroyed) return;
    res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const bookmark = (extra: Record<string, string> = {}) =>
    write('BOOKMARK', {
      kind: rt.kind,
      apiVersion: apiVersionOf(rt),
      metadata: { resourceVersion: String(store.resourceVersion), ...(Object.keys(extra).length ? { annotations: extra } : {}) },
    });

  const deliver = (c: Change) => {
    if (resourceKey(c.rt) !== key) return;
    const nowMatch = c.type !== 'DELETED' && match(c.object);
    const oldMatch = c.old ? match(c.old) : false;
    if (c.type === 'ADDED' && nowMatch) write('ADDED', render(c.object));
    else if (c.type === 'MODIFIED') {
      if (nowMatch && oldMatch) write('MODIFIED', render(c.object));
      else if (nowMatch) write('ADDED', render(c.object));
      else if (oldMatch) write('DELETED', render(c.object));
    } else if (c.type === 'DELETED' && oldMatch) write('DELETED', render(c.object));
  };

  if (rvParam === '' || rvParam === '0' || sendInitial) {
    for (const o of store.list(rt, namespace)) if (match(o)) write('ADDED', render(o));
    if (sendInitial && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else {
    const rv = Number(rvParam);
    if (rv < store.oldestWatchableRv) {
      write('ERROR', statusBody(410, 'Expired', `too old resource version: ${rv} (${store.oldestWatchableRv})`));
      closed = true;
      res.end();
      return;
    }
    for (const c of store.changesSince(rv)) deliver(c);
  }

  const unsubscribe = store.subscribe(deliver);
  const timers: NodeJS.Timeout[] = [];
  let unregister = () => {};
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    unregister();
    timers.forEach(clearTimeout);
    timers.forEach(t => clearInterval(t));
    if (!res.destroyed) res.end();
  };
  unregister = hc.watches.register(close);
  if (timeoutRaw !== null) {
    const t = setTimeout(close, Number(timeoutRaw) * 1000);
    t.unref?.();
    timers.push(t);
  }
  if (bookmarks) {
    const t = setInterval(() => bookmark(), BOOKMARK_INTERVAL_MS);
    t.unref?.();
    timers.push(t);
  }
  res.on('close', close);
  res.on('error', close);
}
