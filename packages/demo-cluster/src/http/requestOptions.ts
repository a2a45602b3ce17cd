/** Request options: query parameters, request bodies and DeleteOptions, as the API server decodes them. */
import { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { errors } from '../api/errors';
import { IncludeObject } from '../printing/table';
import { isPlainObject } from '../util';
import { readBody } from './io';
import { decodeProtobufObject } from './protobuf';
import type { HandlerContext } from './handlers';

export function boolParam(v: string | null): boolean {
  return v === 'true' || v === '1';
}

export function intParam(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v))
    throw errors.badRequest(
      `invalid value for ${key}: "${v}": strconv.ParseInt: parsing "${v}": invalid syntax`,
    );
  return Number(v);
}

export function dryRunParam(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun').filter(v => v !== '');
  for (const v of values) {
    if (v !== 'All') {
      throw errors.invalid('PatchOptions', 'meta.k8s.io', '', [
        {
          field: 'dryRun',
          reason: 'FieldValueNotSupported',
          message: `Unsupported value: "${v}": supported values: "All"`,
        },
      ]);
    }
  }
  return values.length > 0;
}

export function includeObjectParam(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (!v) return 'Metadata';
  if (v === 'None' || v === 'Object' || v === 'Metadata') return v;
  throw errors.badRequest(
    `includeObject: Unsupported value: "${v}": supported values: "None", "Metadata", "Object"`,
  );
}

/** Decodes a JSON (or YAML) request body into an object. */
export async function readObject(
  req: IncomingMessage,
  hc: HandlerContext,
): Promise<unknown> {
  const contentType = String(req.headers['content-type'] ?? 'application/json')
    .split(';')[0]
    .trim()
    .toLowerCase();
  const body = await readBody(req, hc.maxBodyBytes);
  const text = body.toString('utf8');
  if (
    contentType === 'application/json' ||
    contentType === '' ||
    contentType === '*/*'
  ) {
    if (!text.trim())
      throw errors.badRequest('the body of the request was empty');
    try {
      return JSON.parse(text);
    } catch (e: any) {
      throw errors.badRequest(
        `json: cannot unmarshal request body: ${e?.message ?? 'invalid JSON'}`,
      );
    }
  }
  if (contentType === 'application/vnd.kubernetes.protobuf')
    return decodeProtobufObject(body);
  if (
    contentType === 'application/yaml' ||
    contentType === 'application/x-yaml'
  ) {
    try {
      return parseYaml(text);
    } catch (e: any) {
      throw errors.badRequest(
        `error converting YAML to JSON: ${e?.message ?? 'invalid YAML'}`,
      );
    }
  }
  throw errors.unsupportedMediaType(contentType, [
    'application/json',
    'application/yaml',
    'application/vnd.kubernetes.protobuf',
  ]);
}

/** DeleteOptions from the query string and/or the request body. */
export async function deleteOptions(
  req: IncomingMessage,
  hc: HandlerContext,
  q: URLSearchParams,
) {
  let body: Record<string, any> = {};
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 ||
    req.headers['transfer-encoding'] !== undefined;
  const contentType = String(req.headers['content-type'] ?? 'application/json')
    .split(';')[0]
    .trim()
    .toLowerCase();
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
        throw errors.badRequest(
          `error decoding DeleteOptions: ${e?.message ?? 'invalid JSON'}`,
        );
      }
    }
  }
  const grace =
    intParam(q, 'gracePeriodSeconds') ??
    (typeof body.gracePeriodSeconds === 'number'
      ? body.gracePeriodSeconds
      : undefined);
  const dryRunBody = Array.isArray(body.dryRun) && body.dryRun.includes('All');
  return {
    propagationPolicy:
      q.get('propagationPolicy') ??
      body.propagationPolicy ??
      (q.get('orphanDependents') === 'true' || body.orphanDependents === true
        ? 'Orphan'
        : undefined),
    preconditions: isPlainObject(body.preconditions)
      ? body.preconditions
      : undefined,
    gracePeriodSeconds: grace,
    dryRun: dryRunBody,
  };
}
