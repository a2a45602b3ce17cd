import { createHash } from 'node:crypto';
import { PlanSnapshot } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { canonicalJson } from '../audit/canonical';
import { snapshotDrift } from './drift';
import { KubeObject } from './change';

/**
 * The part of an object a change depends on: its spec, or for kinds without
 * one its body minus status and server-set metadata.
 */
function specPart(object: KubeObject): unknown {
  if (object.spec !== undefined) return object.spec;
  const { metadata: _m, status: _s, ...rest } = object;
  return rest;
}

/**
 * What the reviewer saw, reduced to a hash of the unredacted spec (the
 * stored `diff.before` is redacted, so two different secrets look alike).
 */
export function snapshotOf(live: KubeObject): PlanSnapshot {
  return {
    ...(live.metadata?.uid ? { uid: String(live.metadata.uid) } : {}),
    ...(typeof live.metadata?.generation === 'number'
      ? { generation: live.metadata.generation }
      : {}),
    ...(live.metadata?.resourceVersion
      ? { resourceVersion: String(live.metadata.resourceVersion) }
      : {}),
    specSha256: createHash('sha256')
      .update(canonicalJson(specPart(live)))
      .digest('hex'),
  };
}

/**
 * Drift between what the plan was made from and the object now. With a
 * snapshot the unredacted spec decides; the redacted `before` names the
 * fields that moved where it can. Empty means no drift.
 */
export function driftSince(
  plan: { snapshot?: PlanSnapshot; diff: { before: unknown } },
  live: KubeObject | null,
  shown: KubeObject | null,
): string[] {
  const visible = snapshotDrift(plan.diff.before as KubeObject, shown);
  if (!plan.snapshot || !live || visible.length > 0) return visible;
  const now = snapshotOf(live);
  if (plan.snapshot.uid && now.uid && plan.snapshot.uid !== now.uid) {
    return ['metadata.uid (the object was deleted and re-created)'];
  }
  if (now.specSha256 !== plan.snapshot.specSha256) {
    return ['spec (a value the plan shows redacted has changed)'];
  }
  return [];
}
