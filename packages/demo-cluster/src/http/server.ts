/** The HTTPS server: latency, faults, bearer-token auth, routing, and errors as Status bodies. */
import https from 'node:https';
import { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { Socket } from 'node:net';
import { Cluster } from '../cluster';
import { ApiError, errors, reasonForCode, statusBody } from '../api/errors';
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  SERVER_VERSION,
} from '../api/discovery';
import { openApiV3Document, openApiV3Index } from '../api/openapi';
import { TlsMaterial } from '../tls';
import { Faults } from './faults';
import { route } from './router';
import { handleResource, HandlerContext } from './handlers';
import { send, sendError, sendText } from './io';
import { WatchRegistry } from './watch';
import { FaultRule, RequestLogEntry } from '../types';

export interface ApiServerOptions {
  cluster: Cluster;
  tls: TlsMaterial;
  token: string;
  /** A second, read-only identity: a signed-in user's token (see DemoClusterOptions.userToken). */
  userToken?: string;
  faults: Faults;
  latencyMs: number;
  maxBodyBytes: number;
  onRequest?: (entry: RequestLogEntry) => void;
}

const PUBLIC_PATHS = /^\/(version|healthz|livez|readyz)(\/.*)?$/;

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(String(header ?? '').trim());
  if (!m) return false;
  const a = Buffer.from(m[1].trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The user behind the user token, as RBAC messages name it. */
const USER_NAME = 'kubecopilot-demo-user';

export interface ApiServer {
  server: https.Server;
  watches: WatchRegistry;
  close(): Promise<void>;
}

/** What one server's request phases share; `closing` flips when close() starts. */
interface ServerState {
  opts: ApiServerOptions;
  watches: WatchRegistry;
  hc: HandlerContext;
  identities: WeakMap<IncomingMessage, Identity>;
  closing: boolean;
}

type Identity = 'service' | 'user' | undefined;

/** Which of the two tokens (if any) the Authorization header carries. */
function identify(
  opts: ApiServerOptions,
  authorization: string | undefined,
): Identity {
  if (tokenMatches(authorization, opts.token)) return 'service';
  if (
    opts.userToken !== undefined &&
    tokenMatches(authorization, opts.userToken)
  )
    return 'user';
  return undefined;
}

/** Waits `ms`, cut short when the client goes away or the server closes its watches. */
function delay(watches: WatchRegistry, ms: number, res: ServerResponse) {
  return new Promise<void>(resolve => {
    if (ms <= 0) {
      resolve();
      return;
    }
    const t = setTimeout(done, ms);
    const unregister = watches.register(done);
    function done() {
      clearTimeout(t);
      unregister();
      resolve();
    }
    res.on('close', done);
  });
}

/** Waits for `until` to settle, or for the client to go away or the server to stop. */
function holdUntil(watches: WatchRegistry, until: Promise<unknown>, res: ServerResponse) {
  return new Promise<void>(resolve => {
    const unregister = watches.register(done);
    function done() {
      unregister();
      resolve();
    }
    res.on('close', done);
    until.then(done, done);
  });
}

/** Answers an injected fault's status as a Status body (with Retry-After for 429 or when set). */
function sendFaultStatus(
  res: ServerResponse,
  fault: FaultRule,
  code: number,
  method: string,
  path: string,
) {
  const retryAfter = fault.retryAfterSeconds ?? (code === 429 ? 1 : undefined);
  const reason = reasonForCode(code);
  let message = fault.message ?? `injected fault on ${method} ${path}`;
  if (!fault.message && code === 429)
    message = 'Too many requests, please try again later.';
  else if (!fault.message && code >= 500)
    message = `Internal error occurred: ${message}`;
  send(
    res,
    code,
    statusBody(
      code,
      reason,
      message,
      retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : undefined,
    ),
    'json',
    retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : {},
  );
}

/** Applies the first matching injected fault; true when the request has been dealt with. */
async function applyFault(
  st: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  url: URL,
): Promise<boolean> {
  const path = url.pathname;
  const fault = st.opts.faults.take(method, path, `${path}${url.search}`);
  if (!fault) return false;
  if (fault.latencyMs) await delay(st.watches, fault.latencyMs, res);
  if (fault.holdUntil) await holdUntil(st.watches, fault.holdUntil, res);
  if (res.destroyed || st.closing) return true;
  if (fault.dropConnection) {
    req.socket.destroy();
    return true;
  }
  if (fault.hang) {
    const unregister = st.watches.register(() => req.socket.destroy());
    res.on('close', unregister);
    return true;
  }
  if (fault.status) {
    sendFaultStatus(res, fault, fault.status, method, path);
    return true;
  }
  return false;
}

/** Bearer-token auth and the read-only user token; true when the request may go on. */
function authorize(
  st: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
): boolean {
  const identity = identify(st.opts, req.headers.authorization);
  st.identities.set(req, identity);
  if (!identity) {
    if (req.headers.authorization || !PUBLIC_PATHS.test(path)) {
      sendError(res, errors.unauthorized());
      return false;
    }
  }
  // Like RBAC granting a user view only: tests can tell a write made with
  // the user's token from one made with the service account's.
  if (identity === 'user' && !['GET', 'HEAD'].includes(method)) {
    sendError(
      res,
      errors.forbidden(
        `user "${USER_NAME}" cannot ${method.toLowerCase()} ${path}: the user token is read-only`,
      ),
    );
    return false;
  }
  return true;
}

/** Serves the routed path: version, health, discovery, OpenAPI, or a resource. */
async function serveRoute(
  hc: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) {
  const r = route(url.pathname);
  switch (r.type) {
    case 'version':
      send(res, 200, SERVER_VERSION);
      return;
    case 'health':
      sendText(res, 200, 'ok');
      return;
    case 'apiVersions': {
      const addr = req.socket.localAddress ?? '127.0.0.1';
      send(
        res,
        200,
        apiVersions(
          `${addr.includes(':') ? `[${addr}]` : addr}:${req.socket.localPort}`,
        ),
      );
      return;
    }
    case 'groupList':
      send(res, 200, apiGroupList());
      return;
    case 'group': {
      const g = apiGroup(r.group);
      if (!g) throw errors.notFoundPath();
      send(res, 200, g);
      return;
    }
    case 'resourceList': {
      const list = apiResourceList(r.group, r.version);
      if (!list) throw errors.notFoundPath();
      send(res, 200, list);
      return;
    }
    case 'openapi': {
      const doc =
        r.key === undefined ? openApiV3Index() : openApiV3Document(r.key);
      if (!doc) throw errors.notFoundPath();
      send(res, 200, doc);
      return;
    }
    case 'resource':
      await handleResource(hc, req, res, r, url);
      return;
    default:
      throw errors.notFoundPath();
  }
}

/** One request: latency, faults, auth, then routing. */
async function handle(
  st: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const method = (req.method ?? 'GET').toUpperCase();
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'https://localhost');
  } catch {
    sendError(res, errors.badRequest(`invalid request URI: ${req.url}`));
    return;
  }
  if (st.opts.latencyMs > 0) await delay(st.watches, st.opts.latencyMs, res);
  if (res.destroyed || st.closing) return;
  if (await applyFault(st, req, res, method, url)) return;
  if (!authorize(st, req, res, method, url.pathname)) return;
  await serveRoute(st.hc, req, res, url);
}

/** Reports the finished request to `onRequest`, which must not break the server. */
function logOnFinish(
  st: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const started = Date.now();
  res.on('finish', () => {
    try {
      st.opts.onRequest?.({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        status: res.statusCode,
        durationMs: Date.now() - started,
        userAgent: req.headers['user-agent'],
        identity: st.identities.get(req),
      });
    } catch {
      // a logging callback must not break the server
    }
  });
}

/** Answers a thrown error as a Status body (ApiErrors as they are, anything else as a 500). */
function sendThrown(res: ServerResponse, e: any) {
  const err =
    e instanceof ApiError ? e : errors.internal(String(e?.message ?? e));
  if (!(e instanceof ApiError)) {
    // eslint-disable-next-line no-console
    console.error('demo-cluster: unexpected error', e);
  }
  if (!res.headersSent) sendError(res, err);
  else if (!res.writableEnded) res.end();
}

export function createApiServer(opts: ApiServerOptions): ApiServer {
  const watches = new WatchRegistry();
  const sockets = new Set<Socket>();
  const st: ServerState = {
    opts,
    watches,
    hc: {
      cluster: opts.cluster,
      maxBodyBytes: opts.maxBodyBytes,
      watches,
      username: 'kubecopilot-demo',
    },
    identities: new WeakMap(),
    closing: false,
  };

  const server = https.createServer(
    { key: opts.tls.key, cert: opts.tls.cert },
    (req, res) => {
      logOnFinish(st, req, res);
      handle(st, req, res).catch(e => sendThrown(res, e));
    },
  );
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    else socket.destroy();
  });
  server.on('tlsClientError', () => {
    // clients that do not trust the CA: nothing to answer
  });
  server.keepAliveTimeout = 60_000;

  return {
    server,
    watches,
    close: () =>
      new Promise<void>(resolve => {
        st.closing = true;
        watches.closeAll();
        server.close(() => resolve());
        server.closeAllConnections?.();
        for (const s of sockets) s.destroy();
      }),
  };
}
