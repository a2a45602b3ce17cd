import { InputError } from '@backstage/errors';
import { PlanAction } from '@kubecopilot/backstage-plugin-kubecopilot-common';

/**
 * The hard-coded (action, kind) whitelist. Configuration
 * (`kubecopilot.actions.allow`) can only narrow it; nothing can widen it.
 */
export const BUILT_IN_ACTIONS: ReadonlyArray<readonly [PlanAction, string]> = [
  ['restart', 'Deployment'],
  ['restart', 'StatefulSet'],
  ['restart', 'DaemonSet'],
  ['scale', 'Deployment'],
  ['scale', 'StatefulSet'],
  ['delete', 'Pod'],
  ['update', 'Deployment'],
  ['update', 'StatefulSet'],
  ['update', 'DaemonSet'],
  // Like `kubectl rollout undo`: an earlier revision's pod template.
  ['rollback', 'Deployment'],
  ['rollback', 'StatefulSet'],
  // A canary creates `<name>-canary` beside the Deployment, scales it, then
  // updates the Deployment's image and deletes the canary.
  ['canary', 'Deployment'],
  // A blue-green creates `<name>-green`, pins then switches the Service's
  // selector to it, and scales the Deployment to 0 (kept for a revert).
  ['blue-green', 'Deployment'],
];

export type WhitelistDecision =
  | { allowed: true }
  | { allowed: false; reason: string };

export class ActionWhitelist {
  readonly #allowed: Set<string>;

  /**
   * `allow` entries are `action:Kind` (e.g. `restart:Deployment`). An entry
   * outside the built-in list is a configuration error, not a widening.
   */
  static fromConfig(allow: string[] | undefined): ActionWhitelist {
    if (!allow) return new ActionWhitelist(BUILT_IN_ACTIONS.map(key));
    const builtIn = new Set(BUILT_IN_ACTIONS.map(key));
    for (const entry of allow) {
      if (!builtIn.has(entry)) {
        throw new InputError(
          `kubecopilot.actions.allow entry '${entry}' is not in the built-in whitelist (${[
            ...builtIn,
          ].join(', ')}); configuration can only narrow it`,
        );
      }
    }
    return new ActionWhitelist(allow);
  }

  private constructor(entries: string[]) {
    this.#allowed = new Set(entries);
  }

  check(action: string, kind: string): WhitelistDecision {
    if (this.#allowed.has(`${action}:${kind}`)) return { allowed: true };
    const kinds = [...this.#allowed]
      .filter(e => e.startsWith(`${action}:`))
      .map(e => e.split(':')[1]);
    return {
      allowed: false,
      reason:
        kinds.length === 0
          ? `the action '${action}' is not allowed on any kind`
          : `the action '${action}' is not allowed on ${kind}; allowed kinds: ${kinds.join(
              ', ',
            )}`,
    };
  }
}

function key([action, kind]: readonly [string, string]) {
  return `${action}:${kind}`;
}

const CONTAINER_LISTS = ['containers', 'initContainers'];

/**
 * Lists every change between `before` and `after` outside the update field
 * whitelist: replicas, and per container (matched by name) the image, the
 * resources, and literal env values (added, changed or removed) — never env
 * entries that reference a Secret or ConfigMap. An empty list means the
 * update is allowed.
 */
export function disallowedUpdateChanges(before: any, after: any): string[] {
  const problems: string[] = [];
  const beforeRest = structuredClone(before ?? {});
  const afterRest = structuredClone(after ?? {});
  // Status and server-managed metadata are not part of a change.
  for (const object of [beforeRest, afterRest]) {
    delete object.status;
    if (object.metadata) {
      for (const field of [
        'resourceVersion',
        'generation',
        'managedFields',
        'uid',
        'creationTimestamp',
      ]) {
        delete object.metadata[field];
      }
    }
    if (object.spec) delete object.spec.replicas;
  }
  const beforePod = beforeRest.spec?.template?.spec ?? {};
  const afterPod = afterRest.spec?.template?.spec ?? {};
  for (const list of CONTAINER_LISTS) {
    const b: any[] = beforePod[list] ?? [];
    const a: any[] = afterPod[list] ?? [];
    if (
      JSON.stringify(b.map(c => c.name)) !== JSON.stringify(a.map(c => c.name))
    ) {
      problems.push(
        `spec.template.spec.${list}: containers were added, removed or reordered`,
      );
      continue;
    }
    a.forEach((container, i) => {
      const old = b[i];
      const path = `spec.template.spec.${list}[${container.name}]`;
      problems.push(...envProblems(path, old.env ?? [], container.env ?? []));
      for (const c of [old, container]) {
        delete c.image;
        delete c.resources;
        delete c.env;
      }
    });
  }
  if (beforeRest.spec?.template?.spec && afterRest.spec?.template?.spec) {
    for (const list of CONTAINER_LISTS) {
      if (problems.some(p => p.includes(`.${list}:`))) {
        delete beforePod[list];
        delete afterPod[list];
      }
    }
  }
  problems.push(...diffPaths('', beforeRest, afterRest));
  return problems;
}

function envProblems(path: string, before: any[], after: any[]): string[] {
  const problems: string[] = [];
  const byName = (list: any[]) => new Map(list.map(e => [e.name, e]));
  const b = byName(before);
  const a = byName(after);
  for (const name of new Set([...b.keys(), ...a.keys()])) {
    const old = b.get(name);
    const next = a.get(name);
    if (JSON.stringify(old) === JSON.stringify(next)) continue;
    if (old?.valueFrom || next?.valueFrom) {
      problems.push(
        `${path}.env[${name}]: env entries that reference a Secret or ConfigMap cannot be changed`,
      );
    }
  }
  // Literal entries may be added (the variable a crash names) or removed
  // (the revert of that), but the ones both sides have keep their order:
  // a later entry may refer to an earlier one with $(NAME).
  const kept = (list: any[], other: Map<string, unknown>) =>
    list.map(e => e.name).filter(n => other.has(n));
  if (
    problems.length === 0 &&
    JSON.stringify(kept(before, a)) !== JSON.stringify(kept(after, b))
  ) {
    problems.push(`${path}.env: env entries cannot be reordered`);
  }
  return problems;
}

function diffPaths(path: string, before: any, after: any): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: any) => v && typeof v === 'object' && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap(k =>
      diffPaths(path ? `${path}.${k}` : k, before[k], after[k]),
    );
  }
  return [`${path || '(root)'}: this field is not in the update whitelist`];
}
