export interface CompressOptions {
  /**
   * Lines cited as evidence by the analyzers. They are never dropped, never
   * folded into an omitted stack segment and never merged with lines that are
   * only similar; identical copies still collapse into one `line (×N)`.
   */
  keep?: ReadonlySet<string>;
}

/** Lines with no letter or digit: banners, separators, box drawing. */
const DECORATION = /^[^A-Za-z0-9]*$/;

/**
 * Access-log lines of the kubelet's probes and of metrics scrapes that
 * succeeded: hundreds per hour, and they say only that the endpoint answered.
 */
const PROBE_OK =
  /\b(?:GET|HEAD)\s+\/(?:healthz?|readyz|livez|ready|live|ping|metrics|actuator\/(?:health[\w/]*|prometheus))\b.*\b[23]\d\d\b|kube-probe\/[\d.]+.*\b[23]\d\d\b|\b[23]\d\d\b.*kube-probe\//i;

const JAVA_OR_NODE_FRAME = /^\s+at\s+\S/;
const JAVA_ELIDED = /^\s+\.\.\. \d+ (?:more|common frames omitted)\s*$/;
const PYTHON_FILE = /^\s+File ".*", line \d+/;
const GO_FILE = /^\t\S+\.go:\d+/;
const GO_FUNC =
  /^(?:created by )?[\w./*()[\]-]+(?:\(.*\))?(?: in goroutine \d+)?$/;

/** Stack runs shorter than this are kept whole: trimming them saves little. */
const MIN_FRAMES_TO_TRIM = 4;
/** Longest repeating block (in lines) that is folded into one. */
const MAX_PERIOD = 8;

/**
 * Groups stack frames into units (Java/Node `at` line; Python `File` line
 * plus its source line; Go function line plus its tab-indented file line).
 * Returns, per line, the index of its unit or -1 for a non-frame line.
 */
function frameUnits(lines: string[]): number[] {
  const unit = new Array<number>(lines.length).fill(-1);
  let next = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (JAVA_OR_NODE_FRAME.test(l) || JAVA_ELIDED.test(l)) {
      unit[i] = next++;
    } else if (PYTHON_FILE.test(l)) {
      unit[i] = next;
      const src = lines[i + 1];
      if (src !== undefined && /^\s{4,}\S/.test(src) && !PYTHON_FILE.test(src))
        unit[++i] = next;
      next++;
    } else if (GO_FUNC.test(l) && GO_FILE.test(lines[i + 1] ?? '')) {
      unit[i] = next;
      unit[++i] = next++;
    } else if (GO_FILE.test(l)) {
      unit[i] = next++;
    }
  }
  return unit;
}

/**
 * Keeps the first and last frame of each long stack run (where it was thrown,
 * and the entry point) and any frame cited as evidence, replacing the rest by
 * one `… N frames omitted` line. Exception and `Caused by:` lines are not
 * frames, so they always stay.
 */
function trimStacks(lines: string[], keep: ReadonlySet<string>): string[] {
  const unit = frameUnits(lines);
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    if (unit[i] < 0) {
      out.push(lines[i++]);
      continue;
    }
    // Collect one run of consecutive frame units.
    const units: string[][] = [];
    while (i < lines.length && unit[i] >= 0) {
      const u = unit[i];
      const group: string[] = [];
      while (i < lines.length && unit[i] === u) group.push(lines[i++]);
      units.push(group);
    }
    if (units.length < MIN_FRAMES_TO_TRIM) {
      out.push(...units.flat());
      continue;
    }
    const indent = /^\s*/.exec(units[0][0])?.[0] ?? '';
    let omitted = 0;
    units.forEach((group, k) => {
      const kept =
        k === 0 || k === units.length - 1 || group.some(l => keep.has(l));
      if (!kept) {
        omitted++;
        return;
      }
      if (omitted > 0)
        out.push(
          `${indent}… ${omitted} frame${omitted === 1 ? '' : 's'} omitted`,
        );
      omitted = 0;
      out.push(...group);
    });
  }
  return out;
}

const TS_PREFIX =
  /^\s*(?:\[?\d{4}[-/]\d{2}[-/]\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\]?|[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}|[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+)\s*/;

/**
 * What makes two lines "the same message": timestamps, ids, counters and
 * durations differ between repetitions and are masked out.
 */
export function lineKey(line: string): string {
  return line
    .replace(TS_PREFIX, '')
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?Z?/g, '#')
    .replace(
      /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
      '#',
    )
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{6,}\b/gi, '#')
    .replace(/\d+(?:\.\d+)?/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

/** How many times the block of `period` keys at `start` occurs back to back. */
function repetitions(keys: string[], start: number, period: number): number {
  let reps = 1;
  const sameAsFirst = (offset: number) => {
    for (let j = 0; j < period; j++)
      if (keys[offset + j] !== keys[start + j]) return false;
    return true;
  };
  while (
    start + (reps + 1) * period <= keys.length &&
    sameAsFirst(start + reps * period)
  )
    reps++;
  return reps;
}

/**
 * Folds repeated lines and repeated blocks of up to {@link MAX_PERIOD} lines
 * (a retry loop logging "attempt N failed" then "sleeping Ns") into one
 * occurrence with a `(×N)` count. The first occurrence's text is kept.
 */
function collapseRepeats(lines: string[], keep: ReadonlySet<string>): string[] {
  // Evidence lines are only "the same" as exact copies of themselves.
  const keys = lines.map(l => (keep.has(l) ? `\u0000${l}` : lineKey(l)));
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    let best = { period: 1, reps: 1 };
    for (let p = 1; p <= MAX_PERIOD && i + 2 * p <= lines.length; p++) {
      const reps = repetitions(keys, i, p);
      if (reps >= 2 && reps * p > best.reps * best.period)
        best = { period: p, reps };
    }
    for (let j = 0; j < best.period; j++) {
      out.push(
        best.reps > 1 ? `${lines[i + j]} (×${best.reps})` : lines[i + j],
      );
    }
    i += best.period * best.reps;
  }
  return out;
}

/**
 * Compresses a container log for the prompt without losing what explains a
 * failure: drops blank, decoration and successful probe/metrics lines, trims
 * long stack traces to their first and last frames, and folds repeated lines
 * or blocks into one with a count. Evidence lines (`keep`) always survive,
 * verbatim — a folded copy carries them as its prefix (`line (×3)`).
 */
export function compressLogs(
  lines: string[],
  options: CompressOptions = {},
): string[] {
  const keep = options.keep ?? new Set<string>();
  const meaningful = lines.filter(
    l =>
      keep.has(l) ||
      !(l.trim() === '' || DECORATION.test(l) || PROBE_OK.test(l)),
  );
  return collapseRepeats(trimStacks(meaningful, keep), keep);
}

/** Whether `line` survived compression, as itself or folded (`line (×N)`). */
export function containsLine(lines: readonly string[], line: string): boolean {
  return lines.some(
    l =>
      l === line ||
      (l.startsWith(line) && /^ \(×\d+\)$/.test(l.slice(line.length))),
  );
}
