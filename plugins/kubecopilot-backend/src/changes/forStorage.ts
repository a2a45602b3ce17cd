import { redactObject } from '../diagnosis/redaction';

/** Fields that are bookkeeping, not state: never stored or shown in a plan. */
const SYSTEM_FIELDS = ['managedFields'];

/**
 * An object as a plan stores and shows it: minus noise, secret-looking
 * values masked. Never written back to a cluster — writes are computed from
 * the live object and typed params (see `change.ts`).
 */
export function forStorage(
  object: Record<string, any>,
): Record<string, unknown> {
  const copy = structuredClone(object);
  for (const field of SYSTEM_FIELDS) delete copy.metadata?.[field];
  return redactObject(copy).value;
}
