/**
 * Reading scenarios: multi-document YAML files (JSON-style YAML included, following Scenario
 * `spec.include`) and inline objects into documents, with the Scenario's time shift.
 * Invalid input fails with the file, the document index and the reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { clone, isPlainObject } from '../util';

export const SCENARIO_API_VERSION = 'kubecopilot.dev/v1alpha1';

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly index: number | undefined,
    readonly reason: string,
  ) {
    super(
      `invalid scenario ${file}${
        index === undefined ? '' : `, document index ${index}`
      }: ${reason}`,
    );
    this.name = 'ScenarioError';
  }
}

/** One document with where it came from. */
export interface SourceDoc {
  file: string;
  index: number;
  doc: Record<string, any>;
  /** Milliseconds added to every timestamp (Scenario spec.timeAnchor), 0 if none. */
  shiftMs: number;
}

const RFC3339 =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const LOG_PREFIX =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))(\s.*)?$/s;

function shiftTimestamp(value: string, shiftMs: number): string {
  const m = RFC3339.exec(value);
  if (!m) return value;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return value;
  const iso = new Date(t + shiftMs).toISOString(); // ...sss Z
  if (!m[2]) return `${iso.slice(0, 19)}Z`;
  const digits = m[2].length - 1;
  const frac = `${iso.slice(20, 23)}000000000`.slice(0, digits);
  return `${iso.slice(0, 19)}.${frac}Z`;
}

export function shiftAll(value: unknown, shiftMs: number): any {
  if (!shiftMs) return value;
  if (typeof value === 'string') return shiftTimestamp(value, shiftMs);
  if (Array.isArray(value)) return value.map(v => shiftAll(v, shiftMs));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = shiftAll(v, shiftMs);
    return out;
  }
  return value;
}

export function shiftLogLine(line: string, shiftMs: number): string {
  if (!shiftMs) return line;
  const m = LOG_PREFIX.exec(line);
  if (!m) return line;
  return `${shiftTimestamp(m[1], shiftMs)}${m[2] ?? ''}`;
}

/** Expands directories to their *.yaml / *.yml files (sorted). */
export function expandScenarioPaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new ScenarioError(p, undefined, 'no such file or directory');
    }
    if (stat.isDirectory()) {
      const files = fs
        .readdirSync(p)
        .filter(f => /\.ya?ml$/i.test(f))
        .sort()
        .map(f => path.join(p, f));
      if (files.length === 0)
        throw new ScenarioError(
          p,
          undefined,
          'the directory contains no *.yaml files',
        );
      out.push(...files);
    } else out.push(p);
  }
  return out;
}

function parseFile(file: string): { index: number; doc: unknown }[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw new ScenarioError(file, undefined, `cannot read: ${e?.message ?? e}`);
  }
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((d, index) => {
    if (d.errors?.length) {
      throw new ScenarioError(
        file,
        index,
        `YAML error: ${d.errors[0].message.split('\n')[0]}`,
      );
    }
    let value: unknown;
    try {
      value = d.toJS({ maxAliasCount: 1000 });
    } catch (e: any) {
      throw new ScenarioError(file, index, `YAML error: ${e?.message ?? e}`);
    }
    return { index, doc: value };
  });
}

/** Reads the files (following Scenario `spec.include`, each file once) into documents. */
export function readScenarios(paths: string[]): SourceDoc[] {
  const seen = new Set<string>();
  const out: SourceDoc[] = [];
  const visit = (file: string, now: number) => {
    const real = fs.existsSync(file)
      ? fs.realpathSync(file)
      : path.resolve(file);
    if (seen.has(real)) return;
    seen.add(real);
    const docs = parseFile(file);
    // the Scenario document (if any) applies to the whole file
    let shiftMs = 0;
    const includes: string[] = [];
    const scenarioDocs = docs.filter(
      d =>
        isPlainObject(d.doc) &&
        d.doc.kind === 'Scenario' &&
        d.doc.apiVersion === SCENARIO_API_VERSION,
    );
    if (scenarioDocs.length > 1)
      throw new ScenarioError(
        file,
        scenarioDocs[1].index,
        'only one Scenario document per file',
      );
    if (scenarioDocs.length === 1) {
      const { index, doc } = scenarioDocs[0] as {
        index: number;
        doc: Record<string, any>;
      };
      const spec = doc.spec ?? {};
      if (!isPlainObject(spec))
        throw new ScenarioError(file, index, 'spec must be a mapping');
      if (spec.timeAnchor !== undefined) {
        const anchor = Date.parse(String(spec.timeAnchor));
        if (
          typeof spec.timeAnchor !== 'string' ||
          !RFC3339.test(spec.timeAnchor) ||
          Number.isNaN(anchor)
        ) {
          throw new ScenarioError(
            file,
            index,
            `spec.timeAnchor must be an RFC 3339 timestamp, got ${JSON.stringify(
              spec.timeAnchor,
            )}`,
          );
        }
        shiftMs = now - anchor;
      }
      if (spec.include !== undefined) {
        if (
          !Array.isArray(spec.include) ||
          spec.include.some((i: unknown) => typeof i !== 'string')
        ) {
          throw new ScenarioError(
            file,
            index,
            'spec.include must be a list of file paths',
          );
        }
        for (const inc of spec.include as string[]) {
          const target = path.resolve(path.dirname(file), inc);
          if (!fs.existsSync(target))
            throw new ScenarioError(
              file,
              index,
              `spec.include: ${inc} does not exist`,
            );
          includes.push(target);
        }
      }
    }
    for (const inc of includes) visit(inc, now);
    for (const { index, doc } of docs) {
      if (doc === null || doc === undefined) continue;
      if (!isPlainObject(doc))
        throw new ScenarioError(
          file,
          index,
          'a document must be a mapping (an object)',
        );
      out.push({ file, index, doc, shiftMs });
    }
  };
  const now = Date.now();
  for (const f of expandScenarioPaths(paths)) visit(f, now);
  return out;
}

export function docsFromObjects(objects: object[]): SourceDoc[] {
  return objects.map((doc, index) => {
    if (!isPlainObject(doc))
      throw new ScenarioError(
        '(inline objects)',
        index,
        'an object must be a mapping',
      );
    return { file: '(inline objects)', index, doc: clone(doc), shiftMs: 0 };
  });
}
