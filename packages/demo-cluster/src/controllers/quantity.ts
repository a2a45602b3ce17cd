/** Kubernetes resource quantities ("500m", "2", "128Mi", "1G", "1e3") as numbers. */

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

export function parseQuantity(value: unknown): number {
  if (typeof value === 'number') return value;
  const text = String(value ?? '').trim();
  const m = /^([+-]?[0-9.]+)([eE][+-]?[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/.exec(text);
  if (!m) return NaN;
  const base = Number(m[1] + (m[2] ?? ''));
  const suffix = m[3] ?? '';
  return base * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

/** Formats CPU cores as kubectl top does: millicores. */
export function formatCpu(cores: number): string {
  return `${Math.max(0, Math.round(cores * 1000))}m`;
}

/** Formats bytes as Ki (metrics-server style). */
export function formatMemory(bytes: number): string {
  return `${Math.max(0, Math.round(bytes / 1024))}Ki`;
}
