/**
 * Scenario loading: multi-document YAML files (JSON-style YAML included) of Kubernetes objects
 * plus `kubecopilot.dev/v1alpha1` documents (Scenario, ContainerLog, ImageBehavior).
 * Invalid input fails with the file, the document index and the reason.
 */
import { Cluster } from '../cluster';
import {
  findByKind,
  RESOURCE_TYPES,
  ResourceType,
  T,
  apiVersionOf,
} from '../api/resources';
import { validate, normalizeSecret } from '../api/admission';
import {
  BEHAVIORS,
  Behavior,
  parseTrafficProfile,
} from '../controllers/images';
import { KubeObject } from '../types';
import { clone, isPlainObject, rfc3339, stableUid } from '../util';
import { builtins } from './builtins';
import {
  docsFromObjects,
  readScenarios,
  SCENARIO_API_VERSION,
  ScenarioError,
  shiftAll,
  shiftLogLine,
  SourceDoc,
} from './read';

export {
  expandScenarioPaths,
  readScenarios,
  SCENARIO_API_VERSION,
  ScenarioError,
} from './read';

function strings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(v => typeof v === 'string');
}

interface Seeded {
  rt: ResourceType;
  obj: KubeObject;
  src: SourceDoc;
}

/** A ContainerLog document's lines, checked against the scenario's pods once everything is read. */
interface PendingLog {
  src: SourceDoc;
  entry: {
    namespace: string;
    pod: string;
    container: string;
    previous: boolean;
    lines: string[];
  };
}

/** What loadScenarios builds up while it walks the documents. */
interface LoadState {
  cluster: Cluster;
  now: number;
  seeded: Seeded[];
  /** `group/plural/namespace/name` → the object, to find duplicates and declared built-ins. */
  byKey: Map<string, Seeded>;
  logs: PendingLog[];
  behaviors: number;
}

/** Fails with the document's file and index. */
function fail(src: SourceDoc, reason: string): never {
  throw new ScenarioError(src.file, src.index, reason);
}

function seededKey(t: ResourceType, obj: KubeObject): string {
  return `${t.group}/${t.plural}/${obj.metadata.namespace ?? ''}/${
    obj.metadata.name
  }`;
}

/** The served resource type of a raw object, or a failure naming what is served instead. */
function resourceTypeOf(
  src: SourceDoc,
  raw: Record<string, any>,
  where: string,
): ResourceType {
  const apiVersion = raw.apiVersion;
  const kind = raw.kind;
  if (typeof apiVersion !== 'string' || !apiVersion)
    fail(src, `${where}missing apiVersion`);
  if (typeof kind !== 'string' || !kind) fail(src, `${where}missing kind`);
  const rt = findByKind(apiVersion, kind);
  if (!rt || rt.virtual) {
    const sameKind = RESOURCE_TYPES.find(r => r.kind === kind && !r.virtual);
    fail(
      src,
      sameKind
        ? `${where}${kind} is served as apiVersion ${apiVersionOf(
            sameKind,
          )}, not ${apiVersion}`
        : `${where}unknown kind ${JSON.stringify(
            kind,
          )} (apiVersion ${apiVersion}); served kinds: ${RESOURCE_TYPES.filter(
            r => !r.virtual,
          )
            .map(r => r.kind)
            .join(
              ', ',
            )}, and ${SCENARIO_API_VERSION} Scenario, ContainerLog, ImageBehavior`,
    );
  }
  return rt;
}

/** Validates one Kubernetes object and records it (uid, creationTimestamp, generation filled in). */
function addObject(
  st: LoadState,
  src: SourceDoc,
  raw: Record<string, any>,
  where = '',
) {
  const t = resourceTypeOf(src, raw, where);
  if (raw.metadata !== undefined && !isPlainObject(raw.metadata))
    fail(src, `${where}metadata must be a mapping`);
  const obj = shiftAll(clone(raw), src.shiftMs) as KubeObject;
  obj.metadata ??= {};
  if (t.namespaced) obj.metadata.namespace ??= 'default';
  else delete obj.metadata.namespace;
  if (t.kind === 'Secret') normalizeSecret(obj);
  const causes = validate(t, obj);
  if (causes.length) {
    fail(
      src,
      `${where}${t.kind} ${JSON.stringify(
        obj.metadata.name ?? '',
      )} is invalid: ${causes
        .map(c => `${c.field ? `${c.field}: ` : ''}${c.message}`)
        .join('; ')}`,
    );
  }
  const key = seededKey(t, obj);
  const dup = st.byKey.get(key);
  if (dup) {
    fail(
      src,
      `${where}duplicate ${t.kind} ${
        obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''
      }${obj.metadata.name} (first defined in ${dup.src.file}, document index ${
        dup.src.index
      })`,
    );
  }
  obj.metadata.uid ??= stableUid(
    `${t.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`,
  );
  obj.metadata.creationTimestamp ??= rfc3339(st.now);
  if (t.generation) obj.metadata.generation ??= 1;
  delete obj.metadata.resourceVersion;
  const s: Seeded = { rt: t, obj, src };
  st.seeded.push(s);
  st.byKey.set(key, s);
}

/** A ContainerLog document (fields at the top level or under spec), its timestamps shifted. */
function readContainerLog(src: SourceDoc): PendingLog {
  const { doc } = src;
  const body = isPlainObject(doc.spec) ? { ...doc.spec, ...doc } : doc;
  const namespace = doc.metadata?.namespace;
  if (typeof namespace !== 'string' || !namespace)
    fail(src, 'ContainerLog needs metadata.namespace');
  if (typeof body.pod !== 'string' || !body.pod)
    fail(src, 'ContainerLog needs pod (the pod name)');
  if (typeof body.container !== 'string' || !body.container)
    fail(src, 'ContainerLog needs container');
  if (body.previous !== undefined && typeof body.previous !== 'boolean')
    fail(src, 'ContainerLog previous must be a boolean');
  if (!strings(body.lines))
    fail(src, 'ContainerLog lines must be a list of strings');
  return {
    src,
    entry: {
      namespace,
      pod: body.pod,
      container: body.container,
      previous: Boolean(body.previous),
      lines: (body.lines as string[]).map(l => shiftLogLine(l, src.shiftMs)),
    },
  };
}

/** Validates an ImageBehavior document and adds its rule to the cluster. */
function addImageBehavior(st: LoadState, src: SourceDoc) {
  const { doc } = src;
  const spec = doc.spec;
  if (!isPlainObject(spec)) fail(src, 'ImageBehavior needs a spec');
  const images =
    spec.images ?? (spec.image !== undefined ? [spec.image] : undefined);
  if (!strings(images) || images.length === 0)
    fail(
      src,
      'ImageBehavior needs spec.image (or spec.images), image patterns with optional * wildcards',
    );
  if (!BEHAVIORS.includes(spec.behavior))
    fail(
      src,
      `ImageBehavior spec.behavior must be one of ${BEHAVIORS.join(
        ', ',
      )}, got ${JSON.stringify(spec.behavior)}`,
    );
  if (spec.exitCode !== undefined && !Number.isInteger(spec.exitCode))
    fail(src, 'ImageBehavior spec.exitCode must be an integer');
  if (spec.message !== undefined && typeof spec.message !== 'string')
    fail(src, 'ImageBehavior spec.message must be a string');
  for (const k of ['logs', 'previousLogs', 'whenEnvMissing']) {
    if (spec[k] !== undefined && !strings(spec[k]))
      fail(src, `ImageBehavior spec.${k} must be a list of strings`);
  }
  const traffic =
    spec.traffic === undefined
      ? undefined
      : parseTrafficProfile(spec.traffic, msg => fail(src, msg));
  st.cluster.behaviors.add({
    name: String(doc.metadata?.name ?? `rule-${st.behaviors}`),
    images,
    behavior: spec.behavior as Behavior,
    exitCode: spec.exitCode,
    message: spec.message,
    logs: spec.logs,
    previousLogs: spec.previousLogs,
    ...(traffic ? { traffic } : {}),
    ...(spec.whenEnvMissing ? { whenEnvMissing: spec.whenEnvMissing } : {}),
  });
  st.behaviors++;
}

/** One document: a kubecopilot.dev document, a v1 List, or a Kubernetes object. */
function addDocument(st: LoadState, src: SourceDoc) {
  const { doc } = src;
  if (doc.apiVersion === SCENARIO_API_VERSION) {
    switch (doc.kind) {
      case 'Scenario':
        return; // handled while reading
      case 'ContainerLog':
        st.logs.push(readContainerLog(src));
        return;
      case 'ImageBehavior':
        addImageBehavior(st, src);
        return;
      default:
        fail(
          src,
          `unknown kind ${JSON.stringify(
            doc.kind,
          )} for ${SCENARIO_API_VERSION} (expected Scenario, ContainerLog or ImageBehavior)`,
        );
    }
  }
  if (doc.kind === 'List' && doc.apiVersion === 'v1') {
    if (!Array.isArray(doc.items)) fail(src, 'a List needs items');
    doc.items.forEach((item: unknown, i: number) => {
      if (!isPlainObject(item)) fail(src, `items[${i}]: must be a mapping`);
      addObject(st, src, item as Record<string, any>, `items[${i}]: `);
    });
    return;
  }
  addObject(st, src, doc);
}

/** Adds the built-in objects every cluster has, unless the scenario declares them. */
function addBuiltins(st: LoadState) {
  for (const b of builtins(st.now)) {
    const t = findByKind(b.apiVersion!, b.kind!)!;
    const key = seededKey(t, b);
    if (!st.byKey.has(key)) {
      const s: Seeded = {
        rt: t,
        obj: b,
        src: { file: '(built-in)', index: 0, doc: b, shiftMs: 0 },
      };
      st.seeded.push(s);
      st.byKey.set(key, s);
    }
  }
}

/** The seeded object of that kind and name (in that namespace when the kind is namespaced). */
function findSeeded(
  st: LoadState,
  kind: string,
  namespace: string | undefined,
  name: string,
): Seeded | undefined {
  return st.seeded.find(
    s =>
      s.rt.kind === kind &&
      s.obj.metadata.name === name &&
      (!s.rt.namespaced || s.obj.metadata.namespace === namespace),
  );
}

/** Owner references resolve to their owner's uid and apiVersion (owners outside the scenario are allowed). */
function resolveOwnerReferences(st: LoadState, { obj, rt, src }: Seeded) {
  (obj.metadata.ownerReferences ?? []).forEach((ref, i) => {
    if (
      !isPlainObject(ref) ||
      typeof ref.kind !== 'string' ||
      typeof ref.name !== 'string'
    ) {
      fail(
        src,
        `${rt.kind} ${obj.metadata.name}: metadata.ownerReferences[${i}] needs kind and name`,
      );
    }
    const owner = findSeeded(st, ref.kind, obj.metadata.namespace, ref.name);
    if (!owner) return; // owners outside the scenario are allowed (and garbage-collect nothing)
    if (!ref.uid) ref.uid = owner.obj.metadata.uid!;
    else if (ref.uid !== owner.obj.metadata.uid) {
      fail(
        src,
        `${rt.kind} ${obj.metadata.name}: metadata.ownerReferences[${i}].uid ${ref.uid} does not match ${ref.kind} ${ref.name} (uid ${owner.obj.metadata.uid})`,
      );
    }
    ref.apiVersion ??= apiVersionOf(owner.rt);
  });
}

/** An Event's involvedObject gets the uid, apiVersion and namespace of its subject, when seeded. */
function resolveEventSubject(st: LoadState, { obj, rt }: Seeded) {
  if (rt.kind !== 'Event' || !isPlainObject(obj.involvedObject)) return;
  const io = obj.involvedObject;
  const subject =
    typeof io.kind === 'string' && typeof io.name === 'string'
      ? findSeeded(st, io.kind, io.namespace ?? obj.metadata.namespace, io.name)
      : undefined;
  if (subject) {
    io.uid ??= subject.obj.metadata.uid;
    io.apiVersion ??= apiVersionOf(subject.rt);
    if (subject.rt.namespaced) io.namespace ??= subject.obj.metadata.namespace;
  }
}

/** Coherence: namespaces exist, owner references and event subjects resolve; returns the namespaces. */
function checkCoherence(st: LoadState): Set<string | undefined> {
  const namespaces = new Set(
    st.seeded
      .filter(s => s.rt.kind === 'Namespace')
      .map(s => s.obj.metadata.name),
  );
  for (const s of st.seeded) {
    const { obj, rt, src } = s;
    if (rt.namespaced && !namespaces.has(obj.metadata.namespace)) {
      fail(
        src,
        `${rt.kind} ${obj.metadata.name}: namespace ${JSON.stringify(
          obj.metadata.namespace,
        )} is not defined (add a Namespace document)`,
      );
    }
    resolveOwnerReferences(st, s);
    resolveEventSubject(st, s);
  }
  return namespaces;
}

/** Stores each ContainerLog after checking its pod and container are in the scenario. */
function storeLogs(st: LoadState) {
  for (const { src, entry } of st.logs) {
    if (!findSeeded(st, 'Pod', entry.namespace, entry.pod)) {
      fail(
        src,
        `ContainerLog: pod ${entry.namespace}/${entry.pod} is not defined in the scenario`,
      );
    }
    const pod = findSeeded(st, 'Pod', entry.namespace, entry.pod)!.obj;
    const names = [
      ...(pod.spec?.containers ?? []),
      ...(pod.spec?.initContainers ?? []),
    ].map((c: any) => c?.name);
    if (!names.includes(entry.container)) {
      fail(
        src,
        `ContainerLog: pod ${entry.namespace}/${
          entry.pod
        } has no container ${JSON.stringify(
          entry.container,
        )} (containers: ${names.join(', ')})`,
      );
    }
    st.cluster.logs.set(entry);
  }
}

/** Puts the objects in the store (namespaces first), then each namespace's default ServiceAccount and root CA ConfigMap. */
function storeObjects(
  st: LoadState,
  namespaces: Set<string | undefined>,
  caPem: string,
) {
  const { cluster, now, byKey } = st;
  // namespaces first, so everything after has its namespace
  const ordered = [
    ...st.seeded.filter(s => s.rt.kind === 'Namespace'),
    ...st.seeded.filter(s => s.rt.kind !== 'Namespace'),
  ];
  for (const { rt, obj } of ordered) cluster.store.put(rt, obj, 'seed');
  // every namespace has its default service account and root CA config map
  for (const ns of namespaces) {
    if (!byKey.has(`/serviceaccounts/${ns}/default`)) {
      cluster.store.put(
        T.serviceaccounts,
        {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: {
            name: 'default',
            namespace: ns,
            uid: stableUid(`ServiceAccount/${ns}/default`),
            creationTimestamp: rfc3339(now - 3600_000),
          },
        },
        'seed',
      );
    }
    if (!byKey.has(`/configmaps/${ns}/kube-root-ca.crt`)) {
      cluster.store.put(
        T.configmaps,
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: 'kube-root-ca.crt',
            namespace: ns,
            uid: stableUid(`ConfigMap/${ns}/kube-root-ca.crt`),
            creationTimestamp: rfc3339(now - 3600_000),
          },
          data: { 'ca.crt': caPem },
        },
        'seed',
      );
    }
  }
}

/** Seeds the cluster: objects exactly as written (plus uid/creationTimestamp/generation when missing). */
export function loadScenarios(
  cluster: Cluster,
  options: { scenarios?: string[]; objects?: object[]; caPem: string },
): { objects: number; logs: number; behaviors: number; files: string[] } {
  const now = Date.now();
  const docs = [
    ...readScenarios(options.scenarios ?? []),
    ...docsFromObjects(options.objects ?? []),
  ];
  const st: LoadState = {
    cluster,
    now,
    seeded: [],
    byKey: new Map(),
    logs: [],
    behaviors: 0,
  };
  for (const src of docs) addDocument(st, src);
  addBuiltins(st);
  const namespaces = checkCoherence(st);
  storeLogs(st);
  storeObjects(st, namespaces, options.caPem);
  return {
    objects: st.seeded.length,
    logs: st.logs.length,
    behaviors: st.behaviors,
    files: [...new Set(docs.map(d => d.file))],
  };
}
