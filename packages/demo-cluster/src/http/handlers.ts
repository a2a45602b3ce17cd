/** Resource endpoints: CRUD, subresources (status, scale, log), lists, watches, virtual APIs. */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Cluster } from '../cluster';
import { ApiError, errors } from '../api/errors';
import { apiVersionOf, ResourceType } from '../api/resources';
import { KubeObject } from '../types';
import { negotiate, Representation } from './negotiate';
import { readBody, send } from './io';
import {
  boolParam,
  deleteOptions,
  dryRunParam,
  includeObjectParam,
  intParam,
  readObject,
} from './requestOptions';
import {
  partialObjectMetadata,
  partialObjectMetadataList,
  toTable,
} from '../printing/table';
import { parsePatch, patchTypeOf } from '../patch';
import { serveLogs } from './logs';
import { serveWatch, WatchRegistry } from './watch';
import { nodeMetrics, podMetrics } from './metrics';
import { isPlainObject } from '../util';

export interface HandlerContext {
  cluster: Cluster;
  maxBodyBytes: number;
  watches: WatchRegistry;
  username: string;
}

type ResourceRoute = {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  watchPath: boolean;
};

/** Renders a single object per the negotiated representation. */
function renderObject(
  rep: Representation,
  rt: ResourceType,
  obj: KubeObject,
  q: URLSearchParams,
): unknown {
  switch (rep.as) {
    case 'Table':
      return toTable(obj.kind ?? rt.kind, [obj], {
        includeObject: includeObjectParam(q),
        apiVersion: rep.apiVersion,
      });
    case 'PartialObjectMetadata':
      return partialObjectMetadata(obj, rep.apiVersion);
    default:
      return obj;
  }
}

function sendObject(
  res: ServerResponse,
  req: IncomingMessage,
  code: number,
  rt: ResourceType,
  obj: unknown,
  q: URLSearchParams,
) {
  const isObj =
    isPlainObject(obj) &&
    isPlainObject((obj as any).metadata) &&
    (obj as any).kind !== 'Status';
  if (!isObj) {
    send(res, code, obj);
    return;
  }
  const rep = negotiate(req.headers.accept, false);
  const format = rep.as === 'object' ? rep.format : 'json';
  send(res, code, renderObject(rep, rt, obj as KubeObject, q), format);
}

/** One resource request: what every phase of handleResource reads. */
interface ResourceCall {
  hc: HandlerContext;
  req: IncomingMessage;
  res: ServerResponse;
  r: ResourceRoute;
  q: URLSearchParams;
  method: string;
}

/** The create-only reviews (SelfSubjectAccessReview, SelfSubjectReview): always allowed, as the single user. */
async function serveCreateOnly({
  hc,
  req,
  res,
  r,
  method,
}: ResourceCall): Promise<void> {
  const { rt, name } = r;
  if (method !== 'POST' || name) throw errors.methodNotAllowed(method);
  // kubectl sends these as protobuf; the answer depends on nothing in the request, so any
  // body is accepted (JSON is echoed back) and the response is JSON, which clients decode.
  const raw = (await readBody(req, hc.maxBodyBytes)).toString('utf8');
  let body: Record<string, any> = {};
  try {
    const parsed = JSON.parse(raw);
    if (isPlainObject(parsed)) body = parsed;
  } catch {
    // not JSON
  }
  const out: Record<string, any> = {
    ...body,
    apiVersion: apiVersionOf(rt),
    kind: rt.kind,
    metadata: { creationTimestamp: null },
  };
  if (rt.kind === 'SelfSubjectAccessReview') {
    out.status = {
      allowed: true,
      reason: 'the demo cluster allows everything to its single user',
    };
  } else {
    out.status = {
      userInfo: {
        username: hc.username,
        groups: ['system:masters', 'system:authenticated'],
      },
    };
  }
  send(res, 201, out);
}

/** A list as JSON/YAML, Table or PartialObjectMetadataList, per the Accept header. */
function serveList({ hc, req, res, r, q }: ResourceCall): void {
  const { rt, namespace } = r;
  const limit = intParam(q, 'limit');
  const list = hc.cluster.api.list(rt, namespace, {
    labelSelector: q.get('labelSelector') ?? undefined,
    fieldSelector: q.get('fieldSelector') ?? undefined,
    limit,
    continue: q.get('continue') ?? undefined,
  });
  const rep = negotiate(req.headers.accept, true);
  if (rep.as === 'Table') {
    send(
      res,
      200,
      toTable(
        rt.kind,
        list.items.map(i => ({
          ...i,
          apiVersion: apiVersionOf(rt),
          kind: rt.kind,
        })),
        {
          listMeta: list.metadata,
          includeObject: includeObjectParam(q),
          apiVersion: rep.apiVersion,
        },
      ),
    );
    return;
  }
  if (rep.as === 'PartialObjectMetadataList') {
    send(
      res,
      200,
      partialObjectMetadataList(list.items, list.metadata, rep.apiVersion),
    );
    return;
  }
  const items = list.items.map(i => {
    const { apiVersion: _a, kind: _k, ...rest } = i;
    return rest;
  });
  send(
    res,
    200,
    {
      kind: rt.listKind,
      apiVersion: apiVersionOf(rt),
      metadata: list.metadata,
      items,
    },
    rep.as === 'object' ? rep.format : 'json',
  );
}

/** Collection endpoints (no name): watch, list, create, delete-collection. */
async function serveCollection(call: ResourceCall): Promise<void> {
  const { hc, req, res, r, q, method } = call;
  const { api } = hc.cluster;
  const { rt, namespace } = r;
  const watch = r.watchPath || boolParam(q.get('watch'));
  if (method === 'GET' && watch) {
    serveWatch(hc, req, res, rt, namespace, q);
    return;
  }
  if (method === 'GET') {
    serveList(call);
    return;
  }
  if (method === 'POST') {
    if (rt.namespaced && namespace === undefined)
      throw errors.methodNotAllowed(method);
    const dryRun = dryRunParam(q);
    const body = await readObject(req, hc);
    const created = api.create(rt, namespace, body, { dryRun });
    sendObject(res, req, 201, rt, created, q);
    return;
  }
  if (method === 'DELETE') {
    const dryRun = dryRunParam(q);
    const opts = await deleteOptions(req, hc, q);
    const out = api.deleteCollection(
      rt,
      namespace,
      {
        labelSelector: q.get('labelSelector') ?? undefined,
        fieldSelector: q.get('fieldSelector') ?? undefined,
      },
      { ...opts, dryRun: dryRun || opts.dryRun },
    );
    send(res, 200, out);
    return;
  }
  throw errors.methodNotAllowed(method);
}

/** The scale subresource: get, replace, patch. */
async function serveScale(
  { hc, req, res, r, q, method }: ResourceCall,
  name: string,
): Promise<void> {
  const { api } = hc.cluster;
  const { rt, namespace } = r;
  const dryRun = method === 'GET' ? false : dryRunParam(q);
  if (method === 'GET') {
    send(res, 200, api.getScale(rt, namespace, name));
    return;
  }
  if (method === 'PUT') {
    const body = await readObject(req, hc);
    send(res, 200, api.updateScale(rt, namespace, name, body, { dryRun }));
    return;
  }
  if (method === 'PATCH') {
    const type = patchTypeOf(req.headers['content-type']);
    const text = (await readBody(req, hc.maxBodyBytes)).toString('utf8');
    const patch = parsePatch(type, text);
    send(
      res,
      200,
      api.patchScale(rt, namespace, name, type, patch, { dryRun }),
    );
    return;
  }
  throw errors.methodNotAllowed(method);
}

/** A PATCH of one object (or its status): 201 when an apply patch created it. */
async function servePatch(
  { hc, req, res, r, q }: ResourceCall,
  name: string,
): Promise<void> {
  const { api } = hc.cluster;
  const { rt, namespace, subresource } = r;
  const status = subresource === 'status' ? ('status' as const) : undefined;
  const dryRun = dryRunParam(q);
  const type = patchTypeOf(req.headers['content-type']);
  if (type === 'apply' && !q.get('fieldManager')) {
    throw errors.invalid('PatchOptions', 'meta.k8s.io', '', [
      {
        field: 'fieldManager',
        reason: 'FieldValueRequired',
        message: 'Required value: is required for apply patch',
      },
    ]);
  }
  const text = (await readBody(req, hc.maxBodyBytes)).toString('utf8');
  const patch = parsePatch(type, text);
  const existed = api.find(rt, namespace, name) !== undefined;
  const out = api.patch(rt, namespace, name, type, patch, {
    dryRun,
    subresource: status,
  });
  sendObject(res, req, existed ? 200 : 201, rt, out, q);
}

/** One named object (or its status subresource): get, replace, patch, delete. */
async function serveNamed(call: ResourceCall, name: string): Promise<void> {
  const { hc, req, res, r, q, method } = call;
  const { api } = hc.cluster;
  const { rt, namespace, subresource } = r;
  const status = subresource === 'status' ? ('status' as const) : undefined;
  switch (method) {
    case 'GET': {
      sendObject(res, req, 200, rt, api.get(rt, namespace, name), q);
      return;
    }
    case 'PUT': {
      const dryRun = dryRunParam(q);
      const body = await readObject(req, hc);
      sendObject(
        res,
        req,
        200,
        rt,
        api.update(rt, namespace, name, body, { dryRun, subresource: status }),
        q,
      );
      return;
    }
    case 'PATCH':
      await servePatch(call, name);
      return;
    case 'DELETE': {
      if (subresource) throw errors.methodNotAllowed(method);
      const dryRun = dryRunParam(q);
      const opts = await deleteOptions(req, hc, q);
      const out = api.delete(rt, namespace, name, {
        ...opts,
        dryRun: dryRun || opts.dryRun,
      });
      sendObject(res, req, 200, rt, out, q);
      return;
    }
    default:
      throw errors.methodNotAllowed(method);
  }
}

export async function handleResource(
  hc: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  r: ResourceRoute,
  url: URL,
): Promise<void> {
  const q = url.searchParams;
  const method = (req.method ?? 'GET').toUpperCase();
  const call: ResourceCall = { hc, req, res, r, q, method };
  const { rt, namespace, name, subresource } = r;

  if (rt.virtual === 'create-only') {
    await serveCreateOnly(call);
    return;
  }
  if (rt.virtual === 'read-only') {
    if (method !== 'GET') throw errors.methodNotAllowed(method);
    const out =
      rt.kind === 'PodMetrics'
        ? podMetrics(hc.cluster, namespace, name, q)
        : nodeMetrics(hc.cluster, name, q);
    send(res, 200, out);
    return;
  }
  if (subresource === 'log') {
    if (method !== 'GET') throw errors.methodNotAllowed(method);
    await serveLogs(hc, req, res, namespace!, name!, q);
    return;
  }
  if (name === undefined) {
    await serveCollection(call);
    return;
  }
  if (subresource === 'scale') {
    await serveScale(call, name);
    return;
  }
  await serveNamed(call, name);
}

export function describeError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return errors.internal(String((e as Error)?.message ?? e));
}
