/**
 * Scenario loading: multi-document YAML files (JSON-style YAML included) of Kubernetes objects
 * plus `kubecopilot.dev/v1alpha1` documents (Scenario, ContainerLog, ImageBehavior).
 * Invalid input fails with the file, the document index and the reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Cluster } from '../cluster';
import { findByKind, RESOURCE_TYPES, ResourceType, T, apiVersionOf } from '../api/resources';
import { validate, normalizeSecret } from '../api/admission';
import { BEHAVIORS, Behavior, parseTrafficProfile } from '../controllers/images';
import { KubeObject } from '../types';
import { clone, isPlainObject, rfc3339, stableUid } from '../util';

export const SCENARIO_API_VERSION = 'kubecopilot.dev/v1alpha1';

export class ScenarioError extends Error {
  constructor(readonly file: string, readonly index: number | undefined, readonly reason: string) {
    super(`invalid scenario ${file}${index === undefined ? '' : `, document index ${index}`}: ${reason}`);
    this.name = 'ScenarioError';
  }
}

/** One document with where it came from. */
interface SourceDoc {
  file: string;
  index: number;
  doc: Record<string, any>;
  /** Milliseconds added to every timestamp (Scenario spec.timeAnchor), 0 if none. */
  shiftMs: number;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const LOG_PREFIX = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))(\s.*)?$/s;

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

function shiftAll(value: unknown, shiftMs: number): any {
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

function shiftLogLine(line: string, shiftMs: number): string {
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
      if (files.length === 0) throw new ScenarioError(p, undefined, 'the directory contains no *.yaml files');
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
      throw new ScenarioError(file, index, `YAML error: ${d.errors[0].message.split('\n')[0]}`);
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
    const real = fs.existsSync(file) ? fs.realpathSync(file) : path.resolve(file);
    if (seen.has(real)) return;
    seen.add(real);
    const docs = parseFile(file);
    // the Scenario document (if any) applies to the whole file
    let shiftMs = 0;
    const includes: string[] = [];
    const scenarioDocs = docs.filter(d => isPlainObject(d.doc) && d.doc.kind === 'Scenario' && d.doc.apiVersion === SCENARIO_API_VERSION);
    if (scenarioDocs.length > 1) throw new ScenarioError(file, scenarioDocs[1].index, 'only one Scenario document per file');
    if (scenarioDocs.length === 1) {
      const { index, doc } = scenarioDocs[0] as { index: number; doc: Record<string, any> };
      const spec = doc.spec ?? {};
      if (!isPlainObject(spec)) throw new ScenarioError(file, index, 'spec must be a mapping');
      if (spec.timeAnchor !== undefined) {
        const anchor = Date.parse(String(spec.timeAnchor));
        if (typeof spec.timeAnchor !== 'string' || !RFC3339.test(spec.timeAnchor) || Number.isNaN(anchor)) {
          throw new ScenarioError(file, index, `spec.timeAnchor must be an RFC 3339 timestamp, got ${JSON.stringify(spec.timeAnchor)}`);
        }
        shiftMs = now - anchor;
      }
      if (spec.include !== undefined) {
        if (!Array.isArray(spec.include) || spec.include.some((i: unknown) => typeof i !== 'string')) {
          throw new ScenarioError(file, index, 'spec.include must be a list of file paths');
        }
        for (const inc of spec.include as string[]) {
          const target = path.resolve(path.dirname(file), inc);
          if (!fs.existsSync(target)) throw new ScenarioError(file, index, `spec.include: ${inc} does not exist`);
          includes.push(target);
        }
      }
    }
    for (const inc of includes) visit(inc, now);
    for (const { index, doc } of docs) {
      if (doc === null || doc === undefined) continue;
      if (!isPlainObject(doc)) throw new ScenarioError(file, index, 'a document must be a mapping (an object)');
      out.push({ file, index, doc, shiftMs });
    }
  };
  const now = Date.now();
  for (const f of expandScenarioPaths(paths)) visit(f, now);
  return out;
}

function docsFromObjects(objects: object[]): SourceDoc[] {
  return objects.map((doc, index) => {
    if (!isPlainObject(doc)) throw new ScenarioError('(inline objects)', index, 'an object must be a mapping');
    return { file: '(inline objects)', index, doc: clone(doc), shiftMs: 0 };
  });
}

function strings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(v => typeof v === 'string');
}

interface Seeded {
  rt: ResourceType;
  obj: KubeObject;
  src: SourceDoc;
}

/** Built-in objects every cluster has, added unless the scenario declares them. */
function builtins(now: number): KubeObject[] {
  const created = rfc3339(now - 24 * 3600 * 1000);
  const ns = (name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, uid: stableUid(`Namespace//${name}`), creationTimestamp: created, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  return [
    ns('default'),
    ns('kube-system'),
    ns('kube-public'),
    ns('kube-node-lease'),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        uid: stableUid('Service/default/kubernetes'),
        creationTimestamp: created,
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        clusterIP: '10.96.0.1',
        clusterIPs: ['10.96.0.1'],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
      status: { loadBalancer: {} },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        uid: stableUid('Endpoints/default/kubernetes'),
        creationTimestamp: created,
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets: [{ addresses: [{ ip: '10.0.0.10' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
    },
  ];
}

/** Seeds the cluster: objects exactly as written (plus uid/creationTimestamp/generation when missing). */
export function loadScenarios(
  cluster: Cluster,
  options: { scenarios?: string[]; objects?: object[]; caPem: string },
): { objects: number; logs: number; behaviors: number; files: string[] } {
  const now = Date.now();
  const docs = [...readScenarios(options.scenarios ?? []), ...docsFromObjects(options.objects ?? [])];
  const seeded: Seeded[] = [];
  const byKey = new Map<string, Seeded>();
  const logs: { src: SourceDoc; entry: { namespace: string; pod: string; container: string; previous: boolean; lines: string[] } }[] = [];
  let behaviors = 0;
  const fail = (src: SourceDoc, reason: string): never => {
    throw new ScenarioError(src.file, src.index, reason);
  };

  const addObject = (src: SourceDoc, raw: Record<string, any>, where = '') => {
    const apiVersion = raw.apiVersion;
    const kind = raw.kind;
    if (typeof apiVersion !== 'string' || !apiVersion) fail(src, `${where}missing apiVersion`);
    if (typeof kind !== 'string' || !kind) fail(src, `${where}missing kind`);
    const rt = findByKind(apiVersion, kind);
    if (!rt || rt.virtual) {
      const sameKind = RESOURCE_TYPES.find(r => r.kind === kind && !r.virtual);
      fail(
        src,
        sameKind
          ? `${where}${kind} is served as apiVersion ${apiVersionOf(sameKind)}, not ${apiVersion}`
          : `${where}unknown kind ${JSON.stringify(kind)} (apiVersion ${apiVersion}); served kinds: ${RESOURCE_TYPES.filter(r => !r.virtual).map(r => r.kind).join(', ')}, and ${SCENARIO_API_VERSION} Scenario, ContainerLog, ImageBehavior`,
      );
    }
    const t = rt as ResourceType;
    if (raw.metadata !== undefined && !isPlainObject(raw.metadata)) fail(src, `${where}metadata must be a mapping`);
    const obj = shiftAll(clone(raw), src.shiftMs) as KubeObject;
    obj.metadata ??= {};
    if (t.namespaced) obj.metadata.namespace ??= 'default';
    else delete obj.metadata.namespace;
    if (t.kind === 'Secret') normalizeSecret(obj);
    const causes = validate(t, obj);
    if (causes.length) {
      fail(src, `${where}${t.kind} ${JSON.stringify(obj.metadata.name ?? '')} is invalid: ${causes.map(c => `${c.field ? `${c.field}: ` : ''}${c.message}`).join('; ')}`);
    }
    const key = `${t.group}/${t.plural}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    const dup = byKey.get(key);
    if (dup) {
      fail(src, `${where}duplicate ${t.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name} (first defined in ${dup.src.file}, document index ${dup.src.index})`);
    }
    obj.metadata.uid ??= stableUid(`${t.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`);
    obj.metadata.creationTimestamp ??= rfc3339(now);
    if (t.generation) obj.metadata.generation ??= 1;
    delete obj.metadata.resourceVersion;
    const s: Seeded = { rt: t, obj, src };
    seeded.push(s);
    byKey.set(key, s);
  };

  for (const src of docs) {
    const { doc } = src;
    if (doc.apiVersion === SCENARIO_API_VERSION) {
      switch (doc.kind) {
        case 'Scenario':
          break; // handled while reading
        case 'ContainerLog': {
          const body = isPlainObject(doc.spec) ? { ...doc.spec, ...doc } : doc;
          const namespace = doc.metadata?.namespace;
          if (typeof namespace !== 'string' || !namespace) fail(src, 'ContainerLog needs metadata.namespace');
          if (typeof body.pod !== 'string' || !body.pod) fail(src, 'ContainerLog needs pod (the pod name)');
          if (typeof body.container !== 'string' || !body.container) fail(src, 'ContainerLog needs container');
          if (body.previous !== undefined && typeof body.previous !== 'boolean') fail(src, 'ContainerLog previous must be a boolean');
          if (!strings(body.lines)) fail(src, 'ContainerLog lines must be a list of strings');
          logs.push({
            src,
            entry: {
              namespace,
              pod: body.pod,
              container: body.container,
              previous: Boolean(body.previous),
              lines: (body.lines as string[]).map(l => shiftLogLine(l, src.shiftMs)),
            },
          });
          break;
        }
        case 'ImageBehavior': {
          const spec = doc.spec;
          if (!isPlainObject(spec)) fail(src, 'ImageBehavior needs a spec');
          const images = spec.images ?? (spec.image !== undefined ? [spec.image] : undefined);
          if (!strings(images) || images.length === 0) fail(src, 'ImageBehavior needs spec.image (or spec.images), image patterns with optional * wildcards');
          if (!BEHAVIORS.includes(spec.behavior)) fail(src, `ImageBehavior spec.behavior must be one of ${BEHAVIORS.join(', ')}, got ${JSON.stringify(spec.behavior)}`);
          if (spec.exitCode !== undefined && !Number.isInteger(spec.exitCode)) fail(src, 'ImageBehavior spec.exitCode must be an integer');
          if (spec.message !== undefined && typeof spec.message !== 'string') fail(src, 'ImageBehavior spec.message must be a string');
          for (const k of ['logs', 'previousLogs']) {
            if (spec[k] !== undefined && !strings(spec[k])) fail(src, `ImageBehavior spec.${k} must be a list of strings`);
          }
          const traffic = spec.traffic === undefined ? undefined : parseTrafficProfile(spec.traffic, msg => fail(src, msg));
          cluster.behaviors.add({
            name: String(doc.metadata?.name ?? `rule-${behaviors}`),
            images,
            behavior: spec.behavior as Behavior,
            exitCode: spec.exitCode,
            message: spec.message,
            logs: spec.logs,
            previousLogs: spec.previousLogs,
            ...(traffic ? { traffic } : {}),
          });
          behaviors++;
          break;
        }
        default:
          fail(src, `unknown kind ${JSON.stringify(doc.kind)} for ${SCENARIO_API_VERSION} (expected Scenario, ContainerLog or ImageBehavior)`);
      }
      continue;
    }
    if (doc.kind === 'List' && doc.apiVersion === 'v1') {
      if (!Array.isArray(doc.items)) fail(src, 'a List needs items');
      doc.items.forEach((item: unknown, i: number) => {
        if (!isPlainObject(item)) fail(src, `items[${i}]: must be a mapping`);
        addObject(src, item as Record<string, any>, `items[${i}]: `);
      });
      continue;
    }
    addObject(src, doc);
  }

  // built-in objects every cluster has
  for (const b of builtins(now)) {
    const t = findByKind(b.apiVersion!, b.kind!)!;
    const key = `${t.group}/${t.plural}/${b.metadata.namespace ?? ''}/${b.metadata.name}`;
    if (!byKey.has(key)) {
      const s: Seeded = { rt: t, obj: b, src: { file: '(built-in)', index: 0, doc: b, shiftMs: 0 } };
      seeded.push(s);
      byKey.set(key, s);
    }
  }

  // coherence: namespaces exist, owner references and event subjects resolve
  const namespaces = new Set(seeded.filter(s => s.rt.kind === 'Namespace').map(s => s.obj.metadata.name));
  const findSeeded = (kind: string, namespace: string | undefined, name: string) =>
    seeded.find(s => s.rt.kind === kind && s.obj.metadata.name === name && (!s.rt.namespaced || s.obj.metadata.namespace === namespace));
  for (const s of seeded) {
    const { obj, rt, src } = s;
    if (rt.namespaced && !namespaces.has(obj.metadata.namespace)) {
      fail(src, `${rt.kind} ${obj.metadata.name}: namespace ${JSON.stringify(obj.metadata.namespace)} is not defined (add a Namespace document)`);
    }
    (obj.metadata.ownerReferences ?? []).forEach((ref, i) => {
      if (!isPlainObject(ref) || typeof ref.kind !== 'string' || typeof ref.name !== 'string') {
        fail(src, `${rt.kind} ${obj.metadata.name}: metadata.ownerReferences[${i}] needs kind and name`);
      }
      const owner = findSeeded(ref.kind, obj.metadata.namespace, ref.name);
      if (!owner) return; // owners outside the scenario are allowed (and garbage-collect nothing)
      if (!ref.uid) ref.uid = owner.obj.metadata.uid!;
      else if (ref.uid !== owner.obj.metadata.uid) {
        fail(src, `${rt.kind} ${obj.metadata.name}: metadata.ownerReferences[${i}].uid ${ref.uid} does not match ${ref.kind} ${ref.name} (uid ${owner.obj.metadata.uid})`);
      }
      ref.apiVersion ??= apiVersionOf(owner.rt);
    });
    if (rt.kind === 'Event' && isPlainObject(obj.involvedObject)) {
      const io = obj.involvedObject;
      const subject = typeof io.kind === 'string' && typeof io.name === 'string' ? findSeeded(io.kind, io.namespace ?? obj.metadata.namespace, io.name) : undefined;
      if (subject) {
        io.uid ??= subject.obj.metadata.uid;
        io.apiVersion ??= apiVersionOf(subject.rt);
        if (subject.rt.namespaced) io.namespace ??= subject.obj.metadata.namespace;
      }
    }
  }
  for (const { src, entry } of logs) {
    if (!findSeeded('Pod', entry.namespace, entry.pod)) {
      fail(src, `ContainerLog: pod ${entry.namespace}/${entry.pod} is not defined in the scenario`);
    }
    const pod = findSeeded('Pod', entry.namespace, entry.pod)!.obj;
    const names = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c: any) => c?.name);
    if (!names.includes(entry.container)) {
      fail(src, `ContainerLog: pod ${entry.namespace}/${entry.pod} has no container ${JSON.stringify(entry.container)} (containers: ${names.join(', ')})`);
    }
    cluster.logs.set(entry);
  }

  // namespaces first, so everything after has its namespace
  const ordered = [...seeded.filter(s => s.rt.kind === 'Namespace'), ...seeded.filter(s => s.rt.kind !== 'Namespace')];
  for (const { rt, obj } of ordered) cluster.store.put(rt, obj, 'seed');
  // every namespace has its default service account and root CA config map
  for (const ns of namespaces) {
    if (!byKey.has(`/serviceaccounts/${ns}/default`)) {
      cluster.store.put(T.serviceaccounts, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default', namespace: ns, uid: stableUid(`ServiceAccount/${ns}/default`), creationTimestamp: rfc3339(now - 3600_000) },
      }, 'seed');
    }
    if (!byKey.has(`/configmaps/${ns}/kube-root-ca.crt`)) {
      cluster.store.put(T.configmaps, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'kube-root-ca.crt', namespace: ns, uid: stableUid(`ConfigMap/${ns}/kube-root-ca.crt`), creationTimestamp: rfc3339(now - 3600_000) },
        data: { 'ca.crt': options.caPem },
      }, 'seed');
    }
  }
  return {
    objects: seeded.length,
    logs: logs.length,
    behaviors,
    files: [...new Set(docs.map(d => d.file))],
  };
}
