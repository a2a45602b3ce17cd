/**
 * Kubernetes resource quantities (`resource.Quantity`): a decimal number with
 * an optional binary (`Ki`…`Ei`), decimal (`k`, `M`…`E`, `m`) or exponent
 * (`e3`, `E6`) suffix, as the API server accepts them.
 */
const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/**
 * The quantity as a plain number (`256Mi` → 268435456, `500m` → 0.5,
 * `1e3` → 1000); undefined when it is not a valid quantity.
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/.exec(value.trim());
  if (!m) return undefined;
  const number = Number(m[1]);
  const suffix = m[2];
  if (suffix in BINARY) return number * BINARY[suffix];
  if (suffix in DECIMAL) return number * DECIMAL[suffix];
  const exponent = /^[eE]([+-]?[0-9]+)$/.exec(suffix);
  if (exponent) return number * 10 ** Number(exponent[1]);
  return undefined;
}

const MI = 2 ** 20;
const GI = 2 ** 30;

/** Bytes as a person reads them: `310 MiB`, `1.5 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= GI) return `${Math.round((bytes / GI) * 10) / 10} GiB`;
  return `${Math.round(bytes / MI)} MiB`;
}

/** Bytes rounded up to a quantity a manifest would carry: `384Mi`, `2Gi`. */
export function bytesQuantity(bytes: number): string {
  if (bytes >= 4 * GI && bytes % GI === 0) return `${bytes / GI}Gi`;
  // Whole multiples of 32 MiB read well and are what people write.
  const mebibytes = Math.ceil(bytes / MI / 32) * 32;
  return mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}
