/**
 * Strategic merge patch for the built-in kinds: maps merge recursively, `null` deletes, and
 * lists merge by their Kubernetes merge key (containers/env/volumes by name, container ports
 * by containerPort, service ports by port, conditions by type, ...). Supports the
 * `$patch: replace|delete|merge`, `$retainKeys`, `$deleteFromPrimitiveList/` and
 * `$setElementOrder/` directives. Lists without a merge key are replaced, as in Kubernetes.
 */
import { clone, isPlainObject } from '../util';

const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  taints: 'key',
  addresses: 'type',
  readinessGates: 'conditionType',
};

/** Primitive lists merged as sets. */
const SET_LISTS = new Set(['finalizers']);

function mergeKeyFor(field: string, patch: unknown[], original: unknown): string | undefined {
  if (field === 'ports') {
    const items = [...patch, ...(Array.isArray(original) ? original : [])];
    return items.some(i => isPlainObject(i) && 'containerPort' in i) ? 'containerPort' : 'port';
  }
  return MERGE_KEYS[field];
}

/** Removes directive keys (`$patch`, `$retainKeys`, `$setElementOrder/...`) recursively. */
export function stripDirectives(value: unknown): any {
  if (Array.isArray(value)) {
    return value
      .filter(v => !(isPlainObject(v) && v.$patch !== undefined && Object.keys(v).length === 1))
      .map(stripDirectives);
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('$')) continue;
      out[k] = stripDirectives(v);
    }
    return out;
  }
  return value;
}

export class PatchError extends Error {}

function mergeList(field: string, original: unknown, patch: unknown[]): unknown[] {
  if (patch.some(i => isPlainObject(i) && i.$patch === 'replace' && Object.keys(i).length === 1)) {
    return stripDirectives(patch);
  }
  if (SET_LISTS.has(field)) {
    const out = Array.isArray(original) ? [...original] : [];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  const key = mergeKeyFor(field, patch, original);
  if (!key || !patch.every(isPlainObject)) return stripDirectives(patch);
  const result: any[] = Array.isArray(original) ? clone(original) : [];
  for (const item of patch as Record<string, any>[]) {
    const id = item[key];
    const idx = result.findIndex(r => isPlainObject(r) && r[key] === id);
    if (item.$patch === 'delete') {
      if (idx >= 0) result.splice(idx, 1);
      continue;
    }
    if (item.$patch === 'replace') {
      const replaced = stripDirectives(item);
      if (idx >= 0) result[idx] = replaced;
      else result.push(replaced);
      continue;
    }
    if (idx >= 0) result[idx] = strategicMerge(result[idx], item);
    else result.push(stripDirectives(item));
  }
  return result;
}

/** Applies a strategic merge patch; returns the new value (undefined = delete). */
export function strategicMerge(original: unknown, patch: unknown): any {
  if (!isPlainObject(patch)) return clone(patch);
  const directive = patch.$patch;
  if (directive === 'replace') return stripDirectives(patch);
  if (directive === 'delete') return undefined;
  if (directive !== undefined && directive !== 'merge') {
    throw new PatchError(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
  }
  const result: Record<string, any> = isPlainObject(original) ? clone(original) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(result[field]) && Array.isArray(v)) {
        result[field] = result[field].filter((x: unknown) => !v.includes(x));
      }
      continue;
    }
    if (k.startsWith('$')) throw new PatchError(`unknown patch directive: ${k}`);
    if (v === null) {
      delete result[k];
    } else if (isPlainObject(v)) {
      const merged = strategicMerge(result[k], v);
      if (merged === undefined) delete result[k];
      else result[k] = merged;
    } else if (Array.isArray(v)) {
      result[k] = mergeList(k, result[k], v);
    } else {
      result[k] = v;
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    for (const k of Object.keys(result)) if (!patch.$retainKeys.includes(k)) delete result[k];
  }
  return result;
}

/** RFC 7386 JSON merge patch. */
export function jsonMergePatch(original: unknown, patch: unknown): any {
  if (!isPlainObject(patch)) return clone(patch);
  const result: Record<string, any> = isPlainObject(original) ? clone(original) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete result[k];
    else result[k] = jsonMergePatch(result[k], v);
  }
  return result;
}
