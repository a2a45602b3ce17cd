import { InputError } from '@backstage/errors';
import { canonicalJson } from '../audit/canonical';
import { redactObject } from '../diagnosis/redaction';
import type { KubernetesWriteRequest } from '../kubernetes/types';
import type { Change, KubeObject } from './change';
import { looksLikeCredential } from './params';

/**
 * `rollback`, like `kubectl rollout undo`: the pod template of an earlier
 * revision becomes the workload's template again. Deployments keep their
 * revisions as ReplicaSets (`deployment.kubernetes.io/revision`),
 * StatefulSets as ControllerRevisions (`.revision`, `.data.spec.template`).
 *
 * The plan stores the template it restores and the one it replaces (so the
 * write and the revert are exact, need no second read, and still work when
 * `revisionHistoryLimit` has pruned the ReplicaSet by execution time); the
 * execution's drift check guarantees the workload is still as reviewed.
 * Since a stored template must never hold a secret, a template with a
 * credential-looking literal is refused.
 */
export interface RollbackTarget {
  action: 'rollback';
  /** The pod template to set (without `pod-template-hash`). */
  template: KubeObject;
  /** The revision it comes from; absent when a rollback is reverted. */
  toRevision?: number;
}

/** One revision of a workload's pod template. */
export interface Revision {
  revision: number;
  /** The ReplicaSet or ControllerRevision that holds it. */
  name: string;
  template: KubeObject;
}

const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABELS = ['pod-template-hash', 'controller-revision-hash'];

/** The kind that holds a workload's revisions. */
export function revisionKind(
  kind: string,
): 'ReplicaSet' | 'ControllerRevision' {
  return kind === 'StatefulSet' ? 'ControllerRevision' : 'ReplicaSet';
}

/**
 * The revisions of `owner` among ReplicaSets (Deployment) or
 * ControllerRevisions (StatefulSet) of its namespace: those whose owner
 * reference carries its uid, oldest first.
 */
export function revisionsOf(
  owner: KubeObject,
  items: KubeObject[],
): Revision[] {
  const uid = owner.metadata?.uid;
  const statefulSet = owner.kind === 'StatefulSet';
  const revisions: Revision[] = [];
  for (const item of items) {
    if (!uid || !item.metadata?.ownerReferences?.some(o => o.uid === uid)) {
      continue;
    }
    const revision = Number(
      statefulSet ? item.revision : item.metadata?.annotations?.[REVISION],
    );
    const template = statefulSet
      ? item.data?.spec?.template
      : item.spec?.template;
    if (!Number.isInteger(revision) || revision < 1 || !template) continue;
    revisions.push({
      revision,
      name: String(item.metadata?.name),
      template: withoutHash(template),
    });
  }
  return revisions.sort((a, b) => a.revision - b.revision);
}

/** The images of a pod template's containers, in order. */
function imagesOf(template: KubeObject | undefined): string[] {
  return ((template?.spec?.containers ?? []) as Array<{ image?: string }>)
    .map(c => c.image)
    .filter((i): i is string => typeof i === 'string');
}

/** `image` is `wanted`, or `wanted` is its tag or digest. */
function runsImage(image: string, wanted: string): boolean {
  // Case-insensitive: an intent in words is read in lower case.
  const [i, w] = [image.toLowerCase(), wanted.toLowerCase()];
  return i === w || i.endsWith(`:${w}`) || i.endsWith(`@${w}`);
}

/**
 * The newest revision, other than the one running now, whose containers run
 * `image` (a full reference, a tag or a digest): what "roll back checkout to
 * 2.2.0" means. A 400 lists the revisions and their images when none does.
 */
export function revisionRunning(
  live: KubeObject,
  image: string,
  revisions: Revision[],
): number {
  const running = revisions.filter(
    r =>
      !sameTemplate(r.template, live.spec?.template) &&
      imagesOf(r.template).some(i => runsImage(i, image)),
  );
  const found = running.pop();
  if (found) return found.revision;
  const name = live.metadata?.name;
  if (imagesOf(live.spec?.template).some(i => runsImage(i, image))) {
    throw new InputError(
      `${name} already runs ${image}; there is nothing to roll back`,
    );
  }
  const known = revisions.map(
    r => `${r.revision} (${imagesOf(r.template).join(', ') || 'no image'})`,
  );
  throw new InputError(
    `no revision of ${name} ran ${image}; ${
      known.length
        ? `its revisions are ${known.join(', ')}`
        : 'it has no recorded revisions'
    }`,
  );
}

/**
 * The revision a rollback restores: `toRevision`, the newest that ran
 * `toImage`, or the one before the
 * revision that runs now. A 400 says why there is none.
 */
export function rollbackTarget(
  live: KubeObject,
  params: { toRevision?: number; toImage?: string },
  revisions: Revision[],
): RollbackTarget {
  if (params.toImage !== undefined) {
    return rollbackTarget(
      live,
      { toRevision: revisionRunning(live, params.toImage, revisions) },
      revisions,
    );
  }
  const name = live.metadata?.name;
  if (live.spec?.paused) {
    throw new InputError(
      `${live.kind} ${name} is paused; resume it before rolling it back`,
    );
  }
  const current = revisions
    .filter(r => sameTemplate(r.template, live.spec?.template))
    .pop()?.revision;
  let target: Revision | undefined;
  if (params.toRevision === undefined) {
    target = revisions
      .filter(r => r.revision < (current ?? Infinity))
      .filter(r => !sameTemplate(r.template, live.spec?.template))
      .pop();
    if (!target) {
      throw new InputError(`${name} has no earlier revision to roll back to`);
    }
  } else {
    target = revisions.find(r => r.revision === params.toRevision);
    if (!target) {
      const known = revisions.map(
        r => `${r.revision}${r.revision === current ? ' (current)' : ''}`,
      );
      throw new InputError(
        `${name} has no revision ${params.toRevision}; ${
          known.length
            ? `its revisions are ${known.join(', ')}`
            : 'it has no recorded revisions'
        }`,
      );
    }
    if (sameTemplate(target.template, live.spec?.template)) {
      throw new InputError(
        `${name} already runs the pod template of revision ${target.revision}; there is nothing to roll back`,
      );
    }
  }
  return {
    action: 'rollback',
    toRevision: target.revision,
    template: target.template,
  };
}

/** The change a rollback target makes to the live object. */
export function buildRollback(
  live: KubeObject,
  target: RollbackTarget,
): Change {
  const previous = live.spec?.template ?? {};
  refuseCredentials(
    target.template,
    target.toRevision === undefined
      ? 'the template to restore'
      : `revision ${target.toRevision}`,
  );
  refuseCredentials(
    previous,
    `${live.kind} ${live.metadata?.name} as it runs now`,
  );
  const after = structuredClone(live);
  after.spec ??= {};
  after.spec.template = structuredClone(target.template);
  return {
    action: 'rollback',
    after,
    params: {
      ...(target.toRevision !== undefined
        ? { toRevision: target.toRevision }
        : {}),
      template: target.template,
      previousTemplate: previous,
    },
  };
}

/** The target stored params write. */
export function rollbackForward(
  params: Record<string, unknown>,
): RollbackTarget {
  if (!params.template || typeof params.template !== 'object') {
    throw new InputError(
      'this rollback plan does not record the template it restores',
    );
  }
  return {
    action: 'rollback',
    template: params.template as KubeObject,
    ...(typeof params.toRevision === 'number'
      ? { toRevision: params.toRevision }
      : {}),
  };
}

/**
 * The whole template is replaced (a JSON patch `replace`): a strategic merge
 * could not remove what the earlier revision did not have.
 */
export function rollbackWrite(
  base: { cluster: string; resourceVersion?: string },
  path: string,
  target: RollbackTarget,
): Omit<KubernetesWriteRequest, 'dryRun'> {
  return {
    ...base,
    path,
    method: 'PATCH',
    patchType: 'json',
    body: [{ op: 'replace', path: '/spec/template', value: target.template }],
  };
}

export function isRollbackApplied(
  target: RollbackTarget,
  live: KubeObject | null,
) {
  return !!live && sameTemplate(live.spec?.template, target.template);
}

/** Templates compared as the deployment controller does: hash labels and empty maps aside. */
export function sameTemplate(a: unknown, b: unknown): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}

function withoutHash(template: any): KubeObject {
  const copy = structuredClone(template ?? {});
  delete copy.$patch;
  const metadata = copy.metadata;
  if (metadata) {
    for (const label of HASH_LABELS) delete metadata.labels?.[label];
    for (const key of ['labels', 'annotations']) {
      if (metadata[key] && Object.keys(metadata[key]).length === 0) {
        delete metadata[key];
      }
    }
    delete metadata.creationTimestamp;
  }
  return copy;
}

/**
 * A rollback plan stores whole templates, so one with a credential-looking
 * literal — an env value above all, or anything else the redactor masks —
 * is refused rather than stored.
 */
function refuseCredentials(template: KubeObject, which: string) {
  const pod = template.spec ?? {};
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const container of pod[list] ?? []) {
      for (const env of container.env ?? []) {
        if (typeof env.value !== 'string' || env.value === '') continue;
        if (looksLikeCredential(String(env.name), env.value)) {
          throw new InputError(
            `the pod template of ${which} sets ${env.name} (container ${container.name}) to a literal value that looks like a credential; a rollback plan stores the templates it swaps and plans never hold secrets: move it to a Secret (env[].valueFrom.secretKeyRef) first, or roll back outside KubeCopilot`,
          );
        }
      }
    }
  }
  const masked = maskedPaths(template, redactObject(template).value);
  if (masked.length > 0) {
    throw new InputError(
      `the pod template of ${which} holds a value that looks like a credential (${masked
        .slice(0, 3)
        .join(
          ', ',
        )}); a rollback plan stores the templates it swaps and plans never hold secrets: move it to a Secret first, or roll back outside KubeCopilot`,
    );
  }
}

/** Where the redacted copy differs from the original. */
function maskedPaths(
  original: any,
  redacted: any,
  path = 'template',
): string[] {
  if (canonicalJson(original) === canonicalJson(redacted)) return [];
  if (
    original &&
    redacted &&
    typeof original === 'object' &&
    typeof redacted === 'object'
  ) {
    return Object.keys(original).flatMap(key =>
      maskedPaths(
        original[key],
        redacted[key],
        Array.isArray(original) ? `${path}[${key}]` : `${path}.${key}`,
      ),
    );
  }
  return [path];
}
