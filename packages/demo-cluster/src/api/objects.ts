/**
 * The generic object operations (get, list, create, update, patch, delete, scale) with the
 * semantics clients rely on: resourceVersion preconditions, generation, dry-run, defaulting,
 * validation and Kubernetes-style errors. Used by the HTTP layer and by the simulated
 * controllers alike.
 */
import { KubeObject } from '../types';
import { Origin, Store } from '../store/store';
import { apiVersionOf, RESOURCE_TYPES, ResourceType, T } from './resources';
import { ApiError, errors } from './errors';
import { applyCreateDefaults, dropEmptyMetadataMaps, normalizeSecret, validate } from './admission';
import { checkFieldsSupported, matchesFields, parseFieldSelector } from '../selectors/fields';
import {
  matchesRequirements,
  parseLabelSelector,
  SelectorParseError,
  selectorObjectToString,
} from '../selectors/labels';
import { applyPatchTo, PatchType } from '../patch';
import { clone, deepEqual, isPlainObject, newUid, randomSuffix, rfc3339 } from '../util';

export interface WriteOptions {
  dryRun?: boolean;
  origin?: Origin;
  subresource?: 'status';
}

export interface DeleteOptions {
  dryRun?: boolean;
  origin?: Origin;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KubeObject[];
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
}

/** Matcher built from the list/watch selectors (throws 400 on parse errors). */
export function buildMatcher(
  rt: ResourceType,
  namespace: string | undefined,
  labelSelector?: string,
  fieldSelector?: string,
): (o: KubeObject) => boolean {
  try {
    const labels = parseLabelSelector(labelSelector);
    const fields = parseFieldSelector(fieldSelector);
    checkFieldsSupported(rt, fields);
    return o =>
      (!namespace || !rt.namespaced || o.metadata.namespace === namespace) &&
      matchesRequirements(o.metadata.labels, labels) &&
      matchesFields(rt, o, fields);
  } catch (e) {
    if (e instanceof SelectorParseError) throw errors.badRequest(e.message);
    throw e;
  }
}

function encodeContinue(rv: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: lastKey }), 'utf8').toString('base64');
}

function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof parsed?.start !== 'string') throw new Error('bad');
    return { rv: Number(parsed.rv) || 0, start: parsed.start };
  } catch {
    throw errors.badRequest('continue key is not valid: illegal base64 data at input byte 0');
  }
}

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

const RETURNS_OBJECT_ON_DELETE = new Set(['Pod', 'Service', 'Namespace']);

export class ObjectApi {
  /** Called after every successful (non-dry-run) delete, e.g. for garbage collection. */
  onDeleted?: (rt: ResourceType, obj: KubeObject, opts: DeleteOptions) => void;

  constructor(readonly store: Store) {}

  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const o = this.store.get(rt, namespace, name);
    if (!o) throw errors.notFound(rt.plural, rt.group, name);
    return o;
  }

  find(rt: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(rt, namespace, name);
  }

  list(rt: ResourceType, namespace: string | undefined, opts: ListOptions = {}): ListResult {
    const match = buildMatcher(rt, namespace, opts.labelSelector, opts.fieldSelector);
    let items = this.store.list(rt, namespace).filter(match);
    const rv = this.store.resourceVersion;
    const metadata: ListResult['metadata'] = { resourceVersion: String(rv) };
    if (opts.continue) {
      const { start } = decodeContinue(opts.continue);
      items = items.filter(o => keyOf(o) > start);
    }
    if (opts.limit && opts.limit > 0 && items.length > opts.limit) {
      const page = items.slice(0, opts.limit);
      metadata.continue = encodeContinue(rv, keyOf(page[page.length - 1]));
      metadata.remainingItemCount = items.length - page.length;
      items = page;
    }
    return { items, metadata };
  }

  private checkBody(rt: ResourceType, body: unknown): KubeObject {
    if (!isPlainObject(body)) {
      throw errors.badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)?.slice(0, 200)}'`);
    }
    const apiVersion = apiVersionOf(rt);
    if (body.kind !== undefined && body.kind !== rt.kind) {
      throw errors.badRequest(
        `the server could not process the request: the object provided is unrecognized (must be of type ${rt.kind}): kind ${JSON.stringify(body.kind)} does not match`,
      );
    }
    if (body.apiVersion !== undefined && body.apiVersion !== apiVersion) {
      throw errors.badRequest(
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`,
      );
    }
    if (body.metadata !== undefined && !isPlainObject(body.metadata)) {
      throw errors.badRequest('metadata must be an object');
    }
    const obj = clone(body) as KubeObject;
    obj.apiVersion = apiVersion;
    obj.kind = rt.kind;
    obj.metadata ??= {};
    return obj;
  }

  private checkNamespace(rt: ResourceType, obj: KubeObject, namespace: string | undefined) {
    if (!rt.namespaced) {
      delete obj.metadata.namespace;
      return;
    }
    if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
      throw errors.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    obj.metadata.namespace = namespace ?? obj.metadata.namespace ?? 'default';
  }

  create(rt: ResourceType, namespace: string | undefined, body: unknown, opts: WriteOptions = {}): KubeObject {
    const obj = this.checkBody(rt, body);
    this.checkNamespace(rt, obj, namespace);
    const ns = obj.metadata.namespace;
    if (rt.namespaced && !this.store.has(T.namespaces, undefined, ns!)) {
      throw errors.notFound('namespaces', '', ns!);
    }
    if (!obj.metadata.name && typeof obj.metadata.generateName === 'string' && obj.metadata.generateName) {
      for (let i = 0; i < 10; i++) {
        const candidate = `${obj.metadata.generateName}${randomSuffix(5)}`;
        if (!this.store.has(rt, ns, candidate)) {
          obj.metadata.name = candidate;
          break;
        }
      }
    }
    for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'selfLink', 'managedFields']) {
      delete obj.metadata[k];
    }
    applyCreateDefaults(rt, obj);
    dropEmptyMetadataMaps(obj);
    const causes = validate(rt, obj);
    if (causes.length) throw errors.invalid(rt.kind, rt.group, obj.metadata.name ?? '', causes);
    if (this.store.has(rt, ns, obj.metadata.name!)) {
      throw errors.alreadyExists(rt.plural, rt.group, obj.metadata.name!);
    }
    obj.metadata.uid = newUid();
    obj.metadata.creationTimestamp = rfc3339();
    if (rt.generation) obj.metadata.generation = 1;
    this.allocate(rt, obj);
    if (opts.dryRun) return obj;
    return this.store.put(rt, obj, opts.origin ?? 'api');
  }

  /** Cluster-IP and node-port allocation for Services. */
  private allocate(rt: ResourceType, obj: KubeObject, old?: KubeObject) {
    if (rt.kind !== 'Service') return;
    const spec = obj.spec;
    if (!isPlainObject(spec)) return;
    if (old?.spec?.clusterIP && !spec.clusterIP) spec.clusterIP = old.spec.clusterIP;
    if (spec.type !== 'ExternalName' && !spec.clusterIP) {
      const used = new Set(this.store.list(T.services).map(s => s.spec?.clusterIP));
      for (let i = 10; i < 65000; i++) {
        const ip = `10.96.${Math.floor(i / 254)}.${(i % 254) + 1}`;
        if (!used.has(ip)) {
          spec.clusterIP = ip;
          break;
        }
      }
    }
    if (spec.clusterIP && spec.type !== 'ExternalName') spec.clusterIPs = [spec.clusterIP];
    if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && Array.isArray(spec.ports)) {
      const used = new Set<number>();
      for (const s of this.store.list(T.services)) for (const p of s.spec?.ports ?? []) if (p?.nodePort) used.add(p.nodePort);
      spec.ports.forEach((p: any, i: number) => {
        if (!isPlainObject(p) || p.nodePort) return;
        const prev = old?.spec?.ports?.[i]?.nodePort;
        if (prev) {
          p.nodePort = prev;
          return;
        }
        for (let n = 30000; n <= 32767; n++) {
          if (!used.has(n)) {
            p.nodePort = n;
            used.add(n);
            break;
          }
        }
      });
    }
  }

  update(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions = {},
  ): KubeObject {
    const obj = this.checkBody(rt, body);
    if (obj.metadata.name && obj.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    obj.metadata.name = name;
    this.checkNamespace(rt, obj, namespace);
    const existing = this.get(rt, rt.namespaced ? obj.metadata.namespace : undefined, name);
    return this.replace(rt, existing, obj, opts);
  }

  /** Stores `candidate` as the new version of `existing`, enforcing preconditions. */
  replace(rt: ResourceType, existing: KubeObject, candidate: KubeObject, opts: WriteOptions = {}): KubeObject {
    const name = existing.metadata.name!;
    const rv = candidate.metadata?.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== existing.metadata.resourceVersion) {
      throw errors.conflict(rt.plural, rt.group, name);
    }
    if (candidate.metadata?.uid && candidate.metadata.uid !== existing.metadata.uid) {
      throw errors.conflict(
        rt.plural,
        rt.group,
        name,
        `Precondition failed: UID in precondition: ${candidate.metadata.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    let next: KubeObject;
    if (opts.subresource === 'status') {
      next = clone(existing);
      if (candidate.status !== undefined) next.status = clone(candidate.status);
    } else {
      next = clone(candidate);
      next.apiVersion = apiVersionOf(rt);
      next.kind = rt.kind;
      next.metadata = { ...(isPlainObject(next.metadata) ? next.metadata : {}) };
      for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'namespace']) {
        if (existing.metadata[k] === undefined) delete next.metadata[k];
        else next.metadata[k] = existing.metadata[k];
      }
      delete next.metadata.managedFields;
      if (rt.statusSubresource) {
        if (existing.status === undefined) delete next.status;
        else next.status = clone(existing.status);
      }
      if (rt.kind === 'Secret') normalizeSecret(next);
      if (rt.kind === 'Deployment' && isPlainObject(next.spec)) next.spec.replicas ??= 1;
      dropEmptyMetadataMaps(next);
      this.allocate(rt, next, existing);
      const causes = validate(rt, next, existing);
      if (causes.length) throw errors.invalid(rt.kind, rt.group, name, causes);
      if (rt.generation) {
        const gen = Number(existing.metadata.generation ?? 1);
        next.metadata.generation = deepEqual(existing.spec, next.spec) ? gen : gen + 1;
      }
    }
    next.metadata.resourceVersion = existing.metadata.resourceVersion;
    if (deepEqual(next, existing)) return existing; // no-op: resourceVersion unchanged
    if (opts.dryRun) return next;
    return this.store.put(rt, next, opts.origin ?? 'api');
  }

  patch(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: WriteOptions = {},
  ): KubeObject {
    const existing = this.store.get(rt, namespace, name);
    if (!existing) {
      if (type === 'apply' && opts.subresource !== 'status') {
        const body = clone(patch) as KubeObject;
        if (isPlainObject(body.metadata) && body.metadata.name && body.metadata.name !== name) {
          throw errors.badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
        }
        if (isPlainObject(body)) {
          body.metadata = { ...(isPlainObject(body.metadata) ? body.metadata : {}), name };
        }
        return this.create(rt, namespace, body, opts);
      }
      throw errors.notFound(rt.plural, rt.group, name);
    }
    const patched = applyPatchTo(type, existing, patch);
    if (!isPlainObject(patched.metadata)) patched.metadata = {};
    if (patched.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${String(patched.metadata.name)}) does not match the name on the URL (${name})`);
    }
    const candidate = patched as KubeObject;
    if (candidate.kind !== rt.kind || candidate.apiVersion !== apiVersionOf(rt)) {
      throw errors.badRequest('the patch may not change apiVersion or kind');
    }
    if (rt.kind === 'Secret' && type !== 'json') normalizeSecret(candidate);
    return this.replace(rt, existing, candidate, opts);
  }

  delete(rt: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Record<string, unknown> {
    const existing = this.get(rt, namespace, name);
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== existing.metadata.uid) {
      throw errors.conflict(rt.plural, rt.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`);
    }
    if (pre.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
      throw errors.conflict(rt.plural, rt.group, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`);
    }
    if (opts.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
      throw errors.invalid('DeleteOptions', 'meta.k8s.io', '', [
        { field: 'propagationPolicy', reason: 'FieldValueNotSupported', message: `Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"` },
      ]);
    }
    let last: KubeObject = existing;
    if (!opts.dryRun) {
      if (rt.kind === 'Namespace') {
        for (const t of RESOURCE_TYPES) {
          if (!t.namespaced || t.virtual) continue;
          for (const o of this.store.list(t, name)) this.store.remove(t, name, o.metadata.name!, 'controller');
        }
      }
      last = this.store.remove(rt, namespace, name, opts.origin ?? 'api') ?? existing;
      this.onDeleted?.(rt, last, opts);
    }
    if (RETURNS_OBJECT_ON_DELETE.has(rt.kind)) {
      const out = clone(last);
      out.metadata.deletionTimestamp = rfc3339();
      if (rt.kind === 'Pod') {
        out.metadata.deletionGracePeriodSeconds = opts.gracePeriodSeconds ?? out.spec?.terminationGracePeriodSeconds ?? 30;
      }
      if (rt.kind === 'Namespace') out.status = { ...(out.status ?? {}), phase: 'Terminating' };
      return out;
    }
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name, group: rt.group || undefined, kind: rt.plural, uid: existing.metadata.uid },
    };
  }

  deleteCollection(rt: ResourceType, namespace: string | undefined, list: ListOptions, opts: DeleteOptions = {}): Record<string, unknown> {
    const { items } = this.list(rt, namespace, { labelSelector: list.labelSelector, fieldSelector: list.fieldSelector });
    const deleted: KubeObject[] = [];
    for (const o of items) {
      try {
        this.delete(rt, o.metadata.namespace, o.metadata.name!, opts);
        deleted.push(o);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e;
      }
    }
    return {
      apiVersion: apiVersionOf(rt),
      kind: rt.listKind,
      metadata: { resourceVersion: String(this.store.resourceVersion) },
      items: deleted,
    };
  }

  // ------------------------------------------------------------------ scale subresource

  toScale(_rt: ResourceType, obj: KubeObject): KubeObject {
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
        creationTimestamp: obj.metadata.creationTimestamp,
      },
      spec: { replicas: obj.spec?.replicas ?? 1 },
      status: {
        replicas: obj.status?.replicas ?? 0,
        selector: selectorObjectToString(obj.spec?.selector),
      },
    };
  }

  getScale(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    return this.toScale(rt, this.get(rt, namespace, name));
  }

  private applyScale(rt: ResourceType, existing: KubeObject, scale: unknown, opts: WriteOptions): KubeObject {
    if (!isPlainObject(scale)) throw errors.badRequest('the body must be a Scale object');
    if (scale.kind !== undefined && scale.kind !== 'Scale') {
      throw errors.badRequest(`the object provided is unrecognized (must be of type Scale): kind ${JSON.stringify(scale.kind)}`);
    }
    const name = existing.metadata.name!;
    const rv = scale.metadata?.resourceVersion;
    if (rv && rv !== existing.metadata.resourceVersion) throw errors.conflict(rt.plural, rt.group, name);
    const replicas = scale.spec?.replicas ?? 0;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw errors.invalid('Scale', 'autoscaling', name, [
        { field: 'spec.replicas', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` },
      ]);
    }
    const next = clone(existing);
    next.spec = { ...(next.spec ?? {}), replicas };
    return this.toScale(rt, this.replace(rt, existing, next, opts));
  }

  updateScale(rt: ResourceType, namespace: string | undefined, name: string, body: unknown, opts: WriteOptions = {}): KubeObject {
    const existing = this.get(rt, namespace, name);
    if (isPlainObject(body) && isPlainObject(body.metadata) && body.metadata.name && body.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    }
    return this.applyScale(rt, existing, body, opts);
  }

  patchScale(rt: ResourceType, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: WriteOptions = {}): KubeObject {
    const existing = this.get(rt, namespace, name);
    const patched = applyPatchTo(type, this.toScale(rt, existing), patch);
    return this.applyScale(rt, existing, patched, opts);
  }
}
