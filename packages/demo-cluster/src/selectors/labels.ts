/** Label selectors: the string syntax of `?labelSelector=` and the `LabelSelector` object. */

export type Operator = 'Exists' | 'DoesNotExist' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export class SelectorParseError extends Error {}

const KEY_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const KEY_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function validKey(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (!name || name.length > 63 || !KEY_NAME.test(name)) return false;
  if (parts.length === 2 && (!parts[0] || parts[0].length > 253 || !KEY_PREFIX.test(parts[0]))) {
    return false;
  }
  return true;
}

function validValue(value: string): boolean {
  return value.length <= 63 && VALUE.test(value);
}

/** Splits on commas that are not inside parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) throw new SelectorParseError(`unexpected ")" in "${text}"`);
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (depth !== 0) throw new SelectorParseError(`unclosed "(" in "${text}"`);
  parts.push(cur);
  return parts;
}

function parseRequirement(raw: string): Requirement {
  const text = raw.trim();
  if (!text) throw new SelectorParseError('found \'\', expected: !, identifier, or \'end of string\'');
  let m = /^!\s*([^\s=!<>(),]+)$/.exec(text);
  if (m) return req(m[1], 'DoesNotExist', []);
  m = /^([^\s=!<>(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(text);
  if (m) {
    const values = m[3]
      .split(',')
      .map(v => v.trim())
      .filter((v, _i, all) => v !== '' || all.length === 1);
    return req(m[1], m[2] as Operator, values);
  }
  m = /^([^\s=!<>(),]+)\s*(==|=|!=|>|<)\s*([^\s=!<>(),]*)$/.exec(text);
  if (m) {
    const ops: Record<string, Operator> = { '!=': '!=', '>': 'gt', '<': 'lt' };
    const op: Operator = ops[m[2]] ?? '=';
    return req(m[1], op, [m[3]]);
  }
  m = /^([^\s=!<>(),]+)$/.exec(text);
  if (m) return req(m[1], 'Exists', []);
  throw new SelectorParseError(`unable to parse requirement: found '${text}', expected: ',' or 'end of string'`);
}

function req(key: string, op: Operator, values: string[]): Requirement {
  if (!validKey(key)) {
    throw new SelectorParseError(
      `unable to parse requirement: invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
  for (const v of values) {
    if (op === 'gt' || op === 'lt') {
      if (!/^-?\d+$/.test(v)) {
        throw new SelectorParseError(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
      }
    } else if (!validValue(v)) {
      throw new SelectorParseError(`unable to parse requirement: invalid label value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
    }
  }
  return { key, op, values };
}

export function parseLabelSelector(text: string | undefined | null): Requirement[] {
  if (text === undefined || text === null) return [];
  if (text.trim() === '') return [];
  return splitTop(text).map(parseRequirement);
}

export function matchesRequirements(
  labels: Record<string, string> | undefined,
  reqs: Requirement[],
): boolean {
  const l = labels ?? {};
  return reqs.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      case '=':
      case 'in':
        return has && r.values.includes(v);
      case '!=':
      case 'notin':
        return !has || !r.values.includes(v);
      case 'gt':
        return has && /^-?\d+$/.test(v) && Number(v) > Number(r.values[0]);
      case 'lt':
        return has && /^-?\d+$/.test(v) && Number(v) < Number(r.values[0]);
      default:
        return false;
    }
  });
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Converts a `LabelSelector` object; an empty selector selects everything, `null` nothing. */
export function requirementsFromObject(sel: LabelSelectorObject | undefined | null): Requirement[] | null {
  if (!sel || typeof sel !== 'object') return null;
  const out: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    out.push({ key: k, op: '=', values: [String(v)] });
  }
  for (const e of sel.matchExpressions ?? []) {
    const op = String(e.operator);
    const values = (e.values ?? []).map(String);
    if (op === 'In') out.push({ key: e.key, op: 'in', values });
    else if (op === 'NotIn') out.push({ key: e.key, op: 'notin', values });
    else if (op === 'Exists') out.push({ key: e.key, op: 'Exists', values: [] });
    else if (op === 'DoesNotExist') out.push({ key: e.key, op: 'DoesNotExist', values: [] });
  }
  return out;
}

export function selectorMatches(
  sel: LabelSelectorObject | undefined | null,
  labels: Record<string, string> | undefined,
): boolean {
  const reqs = requirementsFromObject(sel);
  if (reqs === null) return false;
  return matchesRequirements(labels, reqs);
}

function byteCompare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Like labels.Selector.String(): requirements sorted by key. */
export function requirementsToString(reqs: Requirement[]): string {
  return [...reqs]
    .sort((a, b) => byteCompare(a.key, b.key))
    .map(r => {
      switch (r.op) {
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
        case '=':
          return `${r.key}=${r.values[0]}`;
        case '!=':
          return `${r.key}!=${r.values[0]}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.op} (${[...r.values].sort().join(',')})`;
        case 'gt':
          return `${r.key}>${r.values[0]}`;
        case 'lt':
          return `${r.key}<${r.values[0]}`;
        default:
          return '';
      }
    })
    .join(',');
}

export function selectorObjectToString(sel: LabelSelectorObject | undefined | null): string {
  const reqs = requirementsFromObject(sel);
  if (reqs === null) return '<none>';
  return requirementsToString(reqs);
}

/** Like labels.FormatLabels: `k=v,k2=v2` sorted, or `<none>`. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map(k => `${k}=${labels![k]}`).join(',');
}
