import { canonicalJson } from '../audit/canonical';

import type { KubeObject as Object_ } from '../kubernetes/types';

type KubeObject = Object_ | null | undefined;

/**
 * Compares the parts of an object a change depends on: its spec (and, for
 * objects without one, its whole body minus status and server metadata).
 * Status and managedFields change all the time and never count as drift.
 * Returns the top-level spec fields that differ; empty means no drift.
 */
export function specDrift(expected: KubeObject, live: KubeObject): string[] {
  if (!expected || !live) {
    return expected === live
      ? []
      : [expected ? 'the object no longer exists' : 'the object now exists'];
  }
  const a = expected.spec ?? {};
  const b = live.spec ?? {};
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const changed = [...keys]
    .filter(k => canonicalJson(a[k]) !== canonicalJson(b[k]))
    .map(k => `spec.${k}`);
  if (
    expected.metadata?.uid &&
    live.metadata?.uid &&
    expected.metadata.uid !== live.metadata.uid
  ) {
    changed.unshift('metadata.uid (the object was deleted and re-created)');
  }
  if (
    changed.length === 0 &&
    expected.metadata?.deletionTimestamp === undefined &&
    live.metadata?.deletionTimestamp !== undefined
  ) {
    changed.push('metadata.deletionTimestamp (the object is being deleted)');
  }
  return changed;
}

/**
 * Drift between the plan's snapshot and the live object: a changed
 * `generation` is drift by definition (the spec was written), and the spec
 * comparison says what moved.
 */
export function snapshotDrift(before: KubeObject, live: KubeObject): string[] {
  const changed = specDrift(before, live);
  const was = before?.metadata?.generation;
  const is = live?.metadata?.generation;
  if (
    changed.length === 0 &&
    was !== undefined &&
    is !== undefined &&
    was !== is
  ) {
    changed.push(`metadata.generation (${was} → ${is})`);
  }
  return changed;
}
