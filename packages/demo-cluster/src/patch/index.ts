/** PATCH bodies by content type: JSON patch, merge patch, strategic merge patch, apply. */
import { applyPatch as applyJsonPatch, Operation } from 'fast-json-patch';
import { parse as parseYaml } from 'yaml';
import { ApiError, errors } from '../api/errors';
import { clone, isPlainObject } from '../util';
import { jsonMergePatch, PatchError, strategicMerge } from './strategic';

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export function patchTypeOf(contentType: string | undefined): PatchType {
  const mt = String(contentType ?? '').split(';')[0].trim().toLowerCase();
  switch (mt) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
      return 'apply';
    default:
      break;
  }
  throw errors.unsupportedMediaType(mt || '(none)', PATCH_TYPES);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e: any) {
    throw errors.badRequest(`error decoding patch: ${e?.message ?? 'invalid JSON'}`);
  }
}

/** Parses the patch body (validating its shape) before the target is looked up. */
export function parsePatch(type: PatchType, text: string): unknown {
  if (type === 'apply') {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (e: any) {
      throw errors.badRequest(`error decoding YAML: ${e?.message ?? 'invalid YAML'}`);
    }
    if (!isPlainObject(doc)) throw errors.badRequest('error decoding apply patch: the body must be an object');
    return doc;
  }
  const patch = parseJson(text);
  if (type === 'json') {
    if (!Array.isArray(patch)) {
      throw errors.badRequest(
        'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
      );
    }
    for (const op of patch) {
      if (!isPlainObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
        throw errors.badRequest(`invalid JSON patch operation: ${JSON.stringify(op)}`);
      }
      if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(op.op)) {
        throw errors.badRequest(`Unexpected kind: ${op.op}`);
      }
    }
  } else if (!isPlainObject(patch)) {
    throw errors.badRequest('error decoding patch: the patch must be a JSON object');
  }
  return patch;
}

/** Applies a parsed patch to a copy of `original`. */
export function applyPatchTo(type: PatchType, original: Record<string, any>, patch: unknown): Record<string, any> {
  try {
    switch (type) {
      case 'json': {
        const doc = clone(original);
        const result = applyJsonPatch(doc, patch as Operation[], true, true);
        const out = result.newDocument;
        if (!isPlainObject(out)) throw errors.unprocessable('the patch result is not an object');
        return out;
      }
      case 'merge':
        return jsonMergePatch(original, patch);
      case 'strategic':
      case 'apply':
        return strategicMerge(original, patch) ?? {};
      default:
        throw errors.badRequest('unknown patch type');
    }
  } catch (e: any) {
    if (e instanceof ApiError) throw e;
    if (e instanceof PatchError) throw errors.badRequest(e.message);
    // fast-json-patch errors: failed test, missing path, ...
    const name = e?.name === 'TEST_OPERATION_FAILED' || /test/i.test(String(e?.name)) ? 'testing value failed' : undefined;
    throw new ApiError(
      422,
      'Invalid',
      `the server rejected our request due to an error in our request: ${name ?? String(e?.message ?? e).split('\n')[0]}`,
    );
  }
}
