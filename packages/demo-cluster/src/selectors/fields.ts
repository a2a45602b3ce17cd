/** Field selectors (`?fieldSelector=`), with the field labels kube-apiserver supports per kind. */
import { ResourceType } from '../api/resources';
import { KubeObject } from '../types';
import { SelectorParseError } from './labels';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

function get(obj: any, path: string): string {
  let cur = obj;
  for (const p of path.split('.')) {
    if (cur === null || cur === undefined) return '';
    cur = cur[p];
  }
  if (cur === null || cur === undefined) return '';
  return String(cur);
}

const COMMON = ['metadata.name', 'metadata.namespace'];

/** Field labels per kind (core kinds as in pkg/registry, the rest support only metadata). */
const FIELDS: Record<string, Record<string, (o: KubeObject) => string>> = {
  Pod: {
    'spec.nodeName': o => get(o, 'spec.nodeName'),
    'spec.restartPolicy': o => get(o, 'spec.restartPolicy'),
    'spec.schedulerName': o => get(o, 'spec.schedulerName'),
    'spec.serviceAccountName': o => get(o, 'spec.serviceAccountName'),
    'spec.hostNetwork': o => (o.spec?.hostNetwork ? 'true' : 'false'),
    'status.phase': o => get(o, 'status.phase'),
    'status.podIP': o => get(o, 'status.podIP'),
    'status.nominatedNodeName': o => get(o, 'status.nominatedNodeName'),
  },
  Event: {
    'involvedObject.kind': o => get(o, 'involvedObject.kind'),
    'involvedObject.namespace': o => get(o, 'involvedObject.namespace'),
    'involvedObject.name': o => get(o, 'involvedObject.name'),
    'involvedObject.uid': o => get(o, 'involvedObject.uid'),
    'involvedObject.apiVersion': o => get(o, 'involvedObject.apiVersion'),
    'involvedObject.resourceVersion': o => get(o, 'involvedObject.resourceVersion'),
    'involvedObject.fieldPath': o => get(o, 'involvedObject.fieldPath'),
    reason: o => get(o, 'reason'),
    reportingComponent: o => get(o, 'reportingComponent'),
    source: o => get(o, 'source.component'),
    type: o => get(o, 'type'),
  },
  Secret: { type: o => get(o, 'type') },
  Node: { 'spec.unschedulable': o => (o.spec?.unschedulable ? 'true' : 'false') },
  Namespace: { 'status.phase': o => get(o, 'status.phase') },
  ReplicaSet: { 'status.replicas': o => get(o, 'status.replicas') || '0' },
  Job: { 'status.successful': o => get(o, 'status.successful') || '0' },
  PersistentVolumeClaim: {},
};

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** Splits on unescaped `sep`. */
function splitUnescaped(text: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      cur += ch + text[i + 1];
      i++;
    } else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function parseFieldSelector(text: string | undefined | null): FieldRequirement[] {
  if (!text || !text.trim()) return [];
  return splitUnescaped(text, ',').map(part => {
    const p = part.trim();
    const m = /^((?:[^\\!=]|\\.)+?)\s*(==|!=|=)\s*((?:[^\\]|\\.)*)$/.exec(p);
    if (!m) {
      throw new SelectorParseError(`invalid selector: '${p}'; can't understand '${p}'`);
    }
    const op = m[2] === '!=' ? '!=' : '=';
    return { field: unescape(m[1].trim()), op, value: unescape(m[3]) };
  });
}

/** Throws a parse error naming the field when the kind does not support it. */
export function checkFieldsSupported(rt: ResourceType, reqs: FieldRequirement[]) {
  const extra = FIELDS[rt.kind] ?? {};
  for (const r of reqs) {
    if (!COMMON.includes(r.field) && !(r.field in extra)) {
      throw new SelectorParseError(
        `field label not supported: ${r.field}`,
      );
    }
  }
}

export function matchesFields(rt: ResourceType, obj: KubeObject, reqs: FieldRequirement[]): boolean {
  const extra = FIELDS[rt.kind] ?? {};
  return reqs.every(r => {
    let actual: string;
    if (r.field === 'metadata.name') actual = obj.metadata.name ?? '';
    else if (r.field === 'metadata.namespace') actual = obj.metadata.namespace ?? '';
    else actual = extra[r.field]?.(obj) ?? '';
    return r.op === '=' ? actual === r.value : actual !== r.value;
  });
}
