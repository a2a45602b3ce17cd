import { createHash, randomBytes, randomUUID } from 'node:crypto';

export function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => deepEqual(v, b[i]));
  }
  if (typeof a === 'object') {
    if (Array.isArray(b)) return false;
    const ka = Object.keys(a as object).filter(k => (a as any)[k] !== undefined);
    const kb = Object.keys(b as object).filter(k => (b as any)[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every(k => deepEqual((a as any)[k], (b as any)[k]));
  }
  return false;
}

/** RFC 3339 timestamp with second precision, as Kubernetes serialises metav1.Time. */
export function rfc3339(date: Date | number = Date.now()): string {
  const d = typeof date === 'number' ? new Date(date) : date;
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** RFC 3339 with microseconds (metav1.MicroTime). */
export function rfc3339Micro(date: Date | number = Date.now()): string {
  const d = typeof date === 'number' ? new Date(date) : date;
  return `${d.toISOString().slice(0, 23)}000Z`;
}

/** RFC 3339 with nanoseconds, as the kubelet prefixes log lines. */
export function rfc3339Nano(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000000Z`;
}

export function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

export function newUid(): string {
  return randomUUID();
}

/** A UUID-shaped id derived from a seed (stable across restarts). */
export function stableUid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${(
    (parseInt(h.slice(16, 17), 16) & 0x3) |
    0x8
  ).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The alphabet Kubernetes uses for generated name suffixes (no vowels, no confusables). */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += SAFE_ALPHABET[bytes[i] % SAFE_ALPHABET.length];
  return out;
}

/** FNV-1a 32-bit. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  const bytes = Buffer.from(text, 'utf8');
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Like rand.SafeEncodeString(fmt.Sprint(hash)): the pod-template-hash format. */
export function safeEncode(n: number): string {
  return String(n)
    .split('')
    .map(c => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length])
    .join('');
}

export function hex16(): string {
  return randomBytes(8).toString('hex');
}

/** Stable JSON (sorted keys) for hashing. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .filter(k => value[k] !== undefined)
      .sort()
      .map(k => `${JSON.stringify(k)}:${stableStringify(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isDns1123Subdomain(name: string): boolean {
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

export function isDns1123Label(name: string): boolean {
  return name.length <= 63 && DNS1123_LABEL.test(name);
}
