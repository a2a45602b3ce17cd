import { InputError } from '@backstage/errors';
import type { UpdateParams } from '../changes/params';
import type { KubeObject } from '../kubernetes/types';
import { displayObject, parseManifest, withoutServerFields } from './manifest';

const CONTAINER =
  /^spec\.template\.spec\.containers\[(\d+)\]\.(image|resources|env\[(\d+)\]\.value)(?:\.|$)/;

/** Every changed leaf between two JSON values, as a field path. */
export function changedPaths(
  before: unknown,
  after: unknown,
  path = '',
): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) return [path || '(root)'];
    return before.flatMap((b, i) => changedPaths(b, after[i], `${path}[${i}]`));
  }
  const isObject = (v: unknown) =>
    !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    return [...new Set([...Object.keys(b), ...Object.keys(a)])].flatMap(k =>
      changedPaths(b[k], a[k], path ? `${path}.${k}` : k),
    );
  }
  return [path || '(root)'];
}

export interface ManifestUpdate {
  /** Update params for the change model (`draftChange('update', …)`). */
  params: UpdateParams;
  /** The field paths the edit changes, all of them whitelisted. */
  changed: string[];
}

/**
 * An edited manifest → the update it asks for. It is compared with the
 * live object as the YAML view showed it (server fields hidden, credentials
 * masked), so what the person did not touch is not a change. Only the
 * update whitelist may differ — replicas, and per container the image, the
 * resources and literal env values; anything else is a 400 naming every
 * such path. The params then go through the change model like any other
 * request, which checks them again (credentials, bounds, the whitelist).
 */
export function updateFromManifest(
  live: KubeObject,
  manifest: string,
): ManifestUpdate {
  const edited = withoutServerFields(parseManifest(manifest));
  const shown = displayObject(live);
  const changed = changedPaths(shown, edited);
  if (changed.length === 0) {
    throw new InputError('the edited manifest changes nothing');
  }
  const liveContainers: any[] = shown.spec?.template?.spec?.containers ?? [];
  const editedContainers: any[] = edited.spec?.template?.spec?.containers ?? [];
  const disallowed: string[] = [];
  const params: UpdateParams = {};
  const containerChange = (i: number) => {
    const name = liveContainers[i].name as string;
    params.containers ??= {};
    params.containers[name] ??= {};
    return params.containers[name];
  };
  for (const path of changed) {
    if (path === 'spec.replicas' && typeof edited.spec?.replicas === 'number') {
      params.replicas = edited.spec.replicas;
      continue;
    }
    const m = CONTAINER.exec(path);
    const i = m ? Number(m[1]) : -1;
    const sameContainer =
      m &&
      liveContainers.length === editedContainers.length &&
      liveContainers[i]?.name === editedContainers[i]?.name;
    if (!m || !sameContainer) {
      disallowed.push(path);
      continue;
    }
    const was = liveContainers[i];
    const now = editedContainers[i];
    if (m[2] === 'image' && typeof now.image === 'string') {
      containerChange(i).image = now.image;
    } else if (m[2] === 'resources') {
      containerChange(i).resources = now.resources ?? {};
    } else if (m[3] !== undefined) {
      const j = Number(m[3]);
      const before = was.env?.[j];
      const after = now.env?.[j];
      if (
        before?.name !== after?.name ||
        before?.valueFrom ||
        after?.valueFrom ||
        typeof after?.value !== 'string'
      ) {
        disallowed.push(path);
        continue;
      }
      const change = containerChange(i);
      change.env = { ...change.env, [after.name]: after.value };
    } else {
      disallowed.push(path);
    }
  }
  if (disallowed.length > 0) {
    throw new InputError(
      `the edited manifest changes fields a plan cannot change: ${disallowed.join(
        ', ',
      )}. A plan from a manifest may change spec.replicas and, per container, the image, the resources and literal env values; change anything else in your repository.`,
    );
  }
  return { params, changed };
}

/**
 * The update a drafted request asks for when it carries an edited manifest
 * (undefined otherwise), with the rationale naming the fields it changes.
 */
export function manifestEdit(
  live: KubeObject,
  request: { manifest?: string; rationale: string },
): { params: Record<string, unknown>; rationale: string } | undefined {
  if (request.manifest === undefined) return undefined;
  const { params, changed } = updateFromManifest(live, request.manifest);
  return {
    params: params as Record<string, unknown>,
    rationale: `${request.rationale} It changes ${changed.join(', ')}.`,
  };
}
