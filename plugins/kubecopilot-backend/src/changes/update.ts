import { InputError } from '@backstage/errors';
import type { KubeObject, KubernetesWriteRequest } from '../kubernetes/types';
import type { Change } from './change';
import { credentialRefused, looksLikeCredential, UpdateParams } from './params';
import { checkReplicas, replicasOf } from './replicas';
import { disallowedUpdateChanges } from './whitelist';

/**
 * `update`: whitelisted fields of a workload — replicas, and per container
 * (by name) the image, the resources and literal env values (changed,
 * added, or removed by a revert). The change records the values it
 * replaced, so its revert is the same kind of update.
 */
export function buildUpdate(
  live: KubeObject,
  after: KubeObject,
  update: UpdateParams,
  maxReplicas?: number,
): Change {
  const previous: UpdateParams = {};
  if (update.replicas !== undefined) {
    checkReplicas(update.replicas, maxReplicas);
    previous.replicas = replicasOf(live);
    after.spec ??= {};
    after.spec.replicas = update.replicas;
  }
  const containers: any[] = after.spec?.template?.spec?.containers ?? [];
  for (const [name, change] of Object.entries(update.containers ?? {})) {
    const container = containers.find(c => c.name === name);
    if (!container) {
      throw new InputError(
        `${live.kind} ${
          live.metadata?.name
        } has no container ${name}; its containers are ${
          containers.map(c => c.name).join(', ') || 'none'
        }`,
      );
    }
    const was: Record<string, unknown> = {};
    if (change.image !== undefined) {
      was.image = container.image ?? null;
      container.image = change.image;
    }
    if (change.resources !== undefined) {
      was.resources = container.resources ?? {};
      container.resources = change.resources;
    }
    for (const [env, value] of Object.entries(change.env ?? {})) {
      was.env = {
        ...(was.env as object),
        [env]: setEnv(container, name, env, value),
      };
    }
    previous.containers = { ...previous.containers, [name]: was };
  }
  const problems = disallowedUpdateChanges(live, after);
  if (problems.length > 0) {
    throw new InputError(`the update is not allowed: ${problems.join('; ')}`);
  }
  return {
    action: 'update',
    after,
    params: { ...stripUndefined(update), previous },
  };
}

/**
 * Sets (or, for `null`, removes) literal env variable `env` of `container`
 * in place; returns the value it had (`null` when absent), which the revert
 * restores. A new variable is added at the end of the list.
 */
function setEnv(
  container: any,
  name: string,
  env: string,
  value: string | null,
): string | null {
  const list: any[] = container.env ?? [];
  const entry = list.find(e => e.name === env);
  if (entry?.valueFrom) {
    throw new InputError(
      `${env} in container ${name} references a Secret or ConfigMap; change it there, not in a plan`,
    );
  }
  if (value !== null && looksLikeCredential(env, value)) {
    throw credentialRefused(name, env, 'new');
  }
  if (!entry) {
    if (value !== null) container.env = [...list, { name: env, value }];
    return null;
  }
  if (looksLikeCredential(env, String(entry.value ?? ''))) {
    throw credentialRefused(name, env, 'current');
  }
  const was = entry.value ?? '';
  if (value === null) {
    container.env = list.filter(e => e !== entry);
  } else {
    entry.value = value;
  }
  return was;
}

/** The strategic-merge patch of an update, against the object as it is now. */
export function updateWrite(
  base: { cluster: string; resourceVersion?: string },
  path: string,
  update: UpdateParams,
  live: KubeObject,
): Omit<KubernetesWriteRequest, 'dryRun'> {
  const liveContainers: any[] = live.spec?.template?.spec?.containers ?? [];
  const containers = Object.entries(update.containers ?? {}).map(
    ([name, change]) => {
      const patch: Record<string, unknown> = { name };
      if (change.image !== undefined) patch.image = change.image;
      if (change.resources !== undefined) {
        const current = liveContainers.find(c => c.name === name)?.resources;
        patch.resources = replacingPatch(current ?? {}, change.resources);
      }
      if (change.env) {
        // env merges by name; a variable the revert removes is deleted
        // with the strategic-merge `$patch: delete` directive.
        patch.env = Object.entries(change.env).map(([n, value]) =>
          value === null ? { name: n, $patch: 'delete' } : { name: n, value },
        );
      }
      return patch;
    },
  );
  const body: Record<string, any> = { spec: {} };
  if (update.replicas !== undefined) body.spec.replicas = update.replicas;
  if (containers.length) body.spec.template = { spec: { containers } };
  return {
    ...base,
    path,
    method: 'PATCH',
    patchType: 'strategic-merge',
    body,
  };
}

/** Whether `live` carries the update's values exactly. */
export function isUpdateApplied(
  update: UpdateParams,
  live: KubeObject,
): boolean {
  if (update.replicas !== undefined && replicasOf(live) !== update.replicas) {
    return false;
  }
  const containers: any[] = live.spec?.template?.spec?.containers ?? [];
  return Object.entries(update.containers ?? {}).every(([name, change]) => {
    const c = containers.find(x => x.name === name);
    if (!c) return false;
    if (change.image !== undefined && c.image !== change.image) return false;
    if (
      change.resources !== undefined &&
      !sameJson(c.resources ?? {}, change.resources)
    ) {
      return false;
    }
    return Object.entries(change.env ?? {}).every(([n, v]) => {
      const entry = (c.env ?? []).find((e: any) => e.name === n);
      return v === null ? entry === undefined : entry?.value === v;
    });
  });
}

/**
 * A strategic-merge patch that makes `current` equal to `wanted`: maps are
 * merged by the server, so keys that must go are set to null.
 */
function replacingPatch(current: any, wanted: any): any {
  if (!isPlainObject(current) || !isPlainObject(wanted)) return wanted;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(current)) {
    if (!(key in wanted)) patch[key] = null;
  }
  for (const [key, value] of Object.entries(wanted)) {
    patch[key] = replacingPatch(current[key], value);
  }
  return patch;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function sameJson(a: unknown, b: unknown) {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: any): any {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isPlainObject(v)) {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map(k => [k, sortKeys(v[k])]),
    );
  }
  return v;
}

function stripUndefined<T extends object>(o: T): T {
  return JSON.parse(JSON.stringify(o));
}
