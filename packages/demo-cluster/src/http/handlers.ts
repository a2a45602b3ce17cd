/** Resource endpoints: CRUD, subresources (status, scale, log), lists, watches, virtual APIs. */
import { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { Cluster } from '../cluster';
import { ApiError, errors } from '../api/errors';
import { apiVersionOf, ResourceType } from '../api/resources';
import { KubeObject } from '../types';
import { negotiate, Representation } from './negotiate';
import { readBody, send } from './io';
import { partialObjectMetadata, partialObjectMetadataList, toTable, IncludeObject } from '../printing/table';
import { parsePatch, patchTypeOf } from '../patch';
import { serveLogs } from './logs';
import { decodeProtobufObject } from './protobuf';
import { serveWatch, WatchRegistry } from './watch';
import { nodeMetrics, podMetrics } from './metrics';
import { isPlainObject } from '../util';

export interface HandlerContext {
  cluster: Cluster;
  maxBodyBytes: number;
  watches: WatchRegistry;
  username: string;
}

type ResourceRoute = { rt: ResourceType; namespace?: string; name?: string; subresource?: string; watchPath: boolean };

function boolParam(v: string | null): boolean {
  return v === 'true' || v === '1';
}

function intParam(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw errors.badRequest(`invalid value for ${key}: "${v}": strconv.ParseInt: parsing "${v}": invalid syntax`);
  return Number(v);
}

function dryRunParam(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun').filter(v => v !== '');
  for (const v of values) {
    if (v !== 'All') {
      throw errors.invalid('PatchOptions', 'meta.k8s.io', '', [
        { field: 'dryRun', reason: 'FieldValueNotSupported', message: `Unsupported value: "${v}": supported values: "All"` },
      ]);
    }
  }
  return values.length > 0;
}

function includeObjectParam(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (!v) return 'Metadata';
  if (v === 'None' || v === 'Object' || v === 'Metadata') return v;
  throw errors.badRequest(`includeObject: Unsupported value: "${v}": supported values: "None", "Metadata", "Object"`);
}

/** Decodes a JSON (or YAML) request body into an object. */
async function readObject(req: IncomingMessage, hc: HandlerContext): Promise<unknown> {
  const contentType = String(req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
  const body = await readBody(req, hc.maxBodyBytes);
  const text = body.toString('utf8');
  if (contentType === 'application/json' || contentType === '' || contentType === '*/*') {
    if (!text.trim()) throw errors.badRequest('the body of the request was empty');
    try {
      return JSON.parse(text);
    } catch (e: any) {
      throw errors.badRequest(`json: cannot unmarshal request body: ${e?.message ?? 'invalid JSON'}`);
    }
  }
  if (contentType === 'application/vnd.kubernetes.protobuf') return decodeProtobufObject(body);
  if (contentType === 'application/yaml' || contentType === 'application/x-yaml') {
    try {
      return parseYaml(text);
    } catch (e: any) {
      throw errors.badRequest(`error converting YAML to JSON: ${e?.message ?? 'invalid YAML'}`);
    }
  }
  throw errors.unsupportedMediaType(contentType, ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']);
}

/** Renders a single object per the negotiated representation. */
function renderObject(rep: Representation, rt: ResourceType, obj: KubeObject, q: URLSearchParams): unknown {
  switch (rep.as) {
    case 'Table':
      return toTable(obj.kind ?? rt.kind, [obj], { includeObject: includeObjectParam(q), apiVersion: rep.apiVersion });
    case 'PartialObjectMetadata':
      return partialObjectMetadata(obj, rep.apiVersion);
    default:
      return obj;
  }
}

function sendObject(res: ServerResponse, req: IncomingMessage, code: number, rt: ResourceType, obj: unknown, q: URLSearchParams) {
  const isObj = isPlainObject(obj) && isPlainObject((obj as any).metadata) && (obj as any).kind !== 'Status';
  if (!isObj) {
    send(res, code, obj);
    return;
  }
  const rep = negotiate(req.headers.accept, false);
  const format = rep.as === 'object' ? rep.format : 'json';
  send(res, code, renderObject(rep, rt, obj as KubeObject, q), format);
}

export async function handleResource(
  hc: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  r: ResourceRoute,
  url: URL,
): Promise<void> {
  const { cluster } = hc;
  const { api } = cluster;
  const q = url.searchParams;
  const method = (req.method ?? 'GET').toUpperCase();
  const { rt, namespace, name, subresource } = r;

  if (rt.virtual === 'create-only') {
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
    const out: Record<string, any> = { ...body, apiVersion: apiVersionOf(rt), kind: rt.kind, metadata: { creationTimestamp: null } };
    if (rt.kind === 'SelfSubjectAccessReview') {
      out.status = { allowed: true, reason: 'the demo cluster allows everything to its single user' };
    } else {
      out.status = { userInfo: { username: hc.username, groups: ['system:masters', 'system:authenticated'] } };
    }
    send(res, 201, out);
    return;
  }
  if (rt.virtual === 'read-only') {
    if (method !== 'GET') throw errors.methodNotAllowed(method);
    const out = rt.kind === 'PodMetrics' ? podMetrics(cluster, namespace, name, q) : nodeMetrics(cluster, name, q);
    send(res, 200, out);
    return;
  }

  if (subresource === 'log') {
    if (method !== 'GET') throw errors.methodNotAllowed(method);
    await serveLogs(hc, req, res, namespace!, name!, q);
    return;
  }

  // ---------------------------------------------------------------- collections
  if (name === undefined) {
    const watch = r.watchPath || boolParam(q.get('watch'));
    if (method === 'GET' && watch) {
      serveWatch(hc, req, res, rt, namespace, q);
      return;
    }
    if (method === 'GET') {
      const limit = intParam(q, 'limit');
      const list = api.list(rt, namespace, {
        labelSelector: q.get('labelSelector') ?? undefined,
        fieldSelector: q.get('fieldSelector') ?? undefined,
        limit,
        continue: q.get('continue') ?? undefined,
      });
      const rep = negotiate(req.headers.accept, true);
      if (rep.as === 'Table') {
        send(res, 200, toTable(rt.kind, list.items.map(i => ({ ...i, apiVersion: apiVersionOf(rt), kind: rt.kind })), {
          listMeta: list.metadata,
          includeObject: includeObjectParam(q),
          apiVersion: rep.apiVersion,
        }));
        return;
      }
      if (rep.as === 'PartialObjectMetadataList') {
        send(res, 200, partialObjectMetadataList(list.items, list.metadata, rep.apiVersion));
        return;
      }
      const items = list.items.map(i => {
        const { apiVersion: _a, kind: _k, ...rest } = i;
        return rest;
      });
      send(res, 200, { kind: rt.listKind, apiVersion: apiVersionOf(rt), metadata: list.metadata, items }, rep.as === 'object' ? rep.format : 'json');
      return;
    }
    if (method === 'POST') {
      if (rt.namespaced && namespace === undefined) throw errors.methodNotAllowed(method);
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
        { labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined },
        { ...opts, dryRun: dryRun || opts.dryRun },
      );
      send(res, 200, out);
      return;
    }
    throw errors.methodNotAllowed(method);
  }

  // ---------------------------------------------------------------- scale subresource
  if (subresource === 'scale') {
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
      send(res, 200, api.patchScale(rt, namespace, name, type, patch, { dryRun }));
      return;
    }
    throw errors.methodNotAllowed(method);
  }

  const status = subresource === 'status' ? ('status' as const) : undefined;
  switch (method) {
    case 'GET': {
      sendObject(res, req, 200, rt, api.get(rt, namespace, name), q);
      return;
    }
    case 'PUT': {
      const dryRun = dryRunParam(q);
      const body = await readObject(req, hc);
      sendObject(res, req, 200, rt, api.update(rt, namespace, name, body, { dryRun, subresource: status }), q);
      return;
    }
    case 'PATCH': {
      const dryRun = dryRunParam(q);
      const type = patchTypeOf(req.headers['content-type']);
      if (type === 'apply' && !q.get('fieldManager')) {
        throw errors.invalid('PatchOptions', 'meta.k8s.io', '', [
          { field: 'fieldManager', reason: 'FieldValueRequired', message: 'Required value: is required for apply patch' },
        ]);
      }
      const text = (await readBody(req, hc.maxBodyBytes)).toString('utf8');
      const patch = parsePatch(type, text);
      const existed = api.find(rt, namespace, name) !== undefined;
      const out = api.patch(rt, namespace, name, type, patch, { dryRun, subresource: status });
      sendObject(res, req, existed ? 200 : 201, rt, out, q);
      return;
    }
    case 'DELETE': {
      if (subresource) throw errors.methodNotAllowed(method);
      const dryRun = dryRunParam(q);
      const opts = await deleteOptions(req, hc, q);
      const out = api.delete(rt, namespace, name, { ...opts, dryRun: dryRun || opts.dryRun });
      sendObject(res, req, 200, rt, out, q);
      return;
    }
    default:
      throw errors.methodNotAllowed(method);
  }
}

/** DeleteOptions from the query string and/or the request body. */
async function deleteOptions(req: IncomingMessage, hc: HandlerContext, q: URLSearchParams) {
  let body: Record<string, any> = {};
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const contentType = String(req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (hasBody && contentType !== 'application/json' && contentType !== '') {
    // e.g. protobuf DeleteOptions from typed clients: the query string carries what matters
    await readBody(req, hc.maxBodyBytes);
  } else if (hasBody) {
    const raw = (await readBody(req, hc.maxBodyBytes)).toString('utf8');
    if (raw.trim()) {
      try {
        const parsed = JSON.parse(raw);
        if (isPlainObject(parsed)) body = parsed;
        else throw new Error('not an object');
      } catch (e: any) {
        throw errors.badRequest(`error decoding DeleteOptions: ${e?.message ?? 'invalid JSON'}`);
      }
    }
  }
  const grace = intParam(q, 'gracePeriodSeconds') ?? (typeof body.gracePeriodSeconds === 'number' ? body.gracePeriodSeconds : undefined);
  const dryRunBody = Array.isArray(body.dryRun) && body.dryRun.includes('All');
  return {
    propagationPolicy: q.get('propagationPolicy') ?? body.propagationPolicy ?? (q.get('orphanDependents') === 'true' || body.orphanDependents === true ? 'Orphan' : undefined),
    preconditions: isPlainObject(body.preconditions) ? body.preconditions : undefined,
    gracePeriodSeconds: grace,
    dryRun: dryRunBody,
  };
}

export function describeError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return errors.internal(String((e as Error)?.message ?? e));
}

