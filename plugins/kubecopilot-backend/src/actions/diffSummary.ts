/**
 * A plan's diff as a few lines an agent can repeat to its user: the fields
 * that change, `path: before → after`. The review in the portal shows the
 * exact diff; this is its digest.
 */

/** Bookkeeping fields that change on every write and say nothing. */
const IGNORED = new Set([
  'metadata.resourceVersion',
  'metadata.generation',
  'metadata.managedFields',
  'metadata.creationTimestamp',
  'metadata.uid',
  'status',
]);

const MAX_LINES = 20;
const MAX_VALUE_CHARS = 80;

export function diffSummary(
  before: unknown,
  after: unknown,
  what: { kind: string; name: string },
): string[] {
  if (after === null || after === undefined) {
    return [`deletes ${what.kind} ${what.name}`];
  }
  const lines: string[] = [];
  walk(before, after, '', lines);
  if (lines.length === 0) return ['no field changes'];
  if (lines.length <= MAX_LINES) return lines;
  return [
    ...lines.slice(0, MAX_LINES),
    `… and ${lines.length - MAX_LINES} more field(s); see the review`,
  ];
}

function walk(before: unknown, after: unknown, path: string, out: string[]) {
  if (IGNORED.has(path)) return;
  // An object added or removed reads as its fields, one line each.
  if (
    (isObject(before) || before === undefined) &&
    (isObject(after) || after === undefined) &&
    (isObject(before) || isObject(after))
  ) {
    const from = (before ?? {}) as Record<string, unknown>;
    const to = (after ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
    for (const key of keys.sort()) {
      walk(from[key], to[key], join(path, key), out);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) {
      walk(before[i], after[i], `${path}[${i}]`, out);
    }
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    out.push(`${path}: ${show(before)} → ${show(after)}`);
  }
}

/** `a.b`, or `a["kubectl.kubernetes.io/restartedAt"]` for keys with dots or slashes. */
function join(path: string, key: string): string {
  if (!/^[A-Za-z_$][\w$-]*$/.test(key))
    return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return '(unset)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS
    ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…`
    : text;
}
