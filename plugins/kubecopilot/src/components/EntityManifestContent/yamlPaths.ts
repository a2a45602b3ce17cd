import { isNode, parseDocument } from 'yaml';

/** `spec.template.spec.containers[0].image` → `['spec', …, 'containers', 0, 'image']`. */
export function pathSegments(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      segments.push(part);
      continue;
    }
    if (m[1]) segments.push(m[1]);
    for (const index of m[2].matchAll(/\[(\d+)\]/g)) {
      segments.push(Number(index[1]));
    }
  }
  return segments;
}

/** Where a check points in the text: the field, or its closest existing parent. */
export interface TextRange {
  from: number;
  to: number;
  /** 1-based line number of `from`. */
  line: number;
  /** Whether the field itself exists (false: the range is its parent). */
  exact: boolean;
}

function lineAt(text: string, offset: number) {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') line++;
  }
  return line;
}

/**
 * The text range of a field path in a YAML document. A missing field (a
 * limit that is not set) points at the nearest parent that exists, on the
 * line of its key, so the annotation lands where the field would go.
 */
export function rangeOfPath(text: string, path: string): TextRange | undefined {
  let doc;
  try {
    doc = parseDocument(text);
  } catch {
    return undefined;
  }
  if (doc.errors.length > 0) return undefined;
  const segments = pathSegments(path);
  for (let n = segments.length; n > 0; n--) {
    const parent =
      n > 1 ? doc.getIn(segments.slice(0, n - 1), true) : doc.contents;
    const key = segments[n - 1];
    if (!isNode(parent) || !('items' in parent)) continue;
    const items = (parent as any).items as any[];
    // In a map, point at the key ("limits:"); in a sequence, at the item.
    const pair =
      typeof key === 'number'
        ? undefined
        : items.find(i => i?.key && String(i.key.value ?? i.key) === key);
    const node = typeof key === 'number' ? items[key] : pair?.key;
    if (!node?.range) continue;
    const end =
      pair?.value?.range && !('items' in pair.value)
        ? pair.value.range[1]
        : node.range[1];
    // One line: the annotation marks the field, not a whole nested block.
    const lineEnd = text.indexOf('\n', node.range[0]);
    const to = Math.min(end, lineEnd === -1 ? text.length : lineEnd);
    return {
      from: node.range[0],
      to: Math.max(to, node.range[0] + 1),
      line: lineAt(text, node.range[0]),
      exact: n === segments.length,
    };
  }
  return undefined;
}

/** The text with `value` set at `path` (creating the maps on the way). */
export function applySuggestion(
  text: string,
  suggestion: { path: string; value: string | number },
): string {
  const doc = parseDocument(text);
  doc.setIn(pathSegments(suggestion.path), suggestion.value);
  return doc.toString();
}
