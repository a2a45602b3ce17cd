import { ResourceType, resourceKey } from '../api/resources';
import { KubeObject } from '../types';
import { clone } from '../util';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';
/** Who made a change: a client through the API, a simulated controller, or scenario seeding. */
export type Origin = 'api' | 'controller' | 'seed';

export interface Change {
  type: ChangeType;
  rt: ResourceType;
  /** The object after the change (for DELETED: its last state, with the deletion's resourceVersion). */
  object: KubeObject;
  /** The object before the change (MODIFIED, DELETED). */
  old?: KubeObject;
  rv: number;
  origin: Origin;
}

export type ChangeListener = (change: Change) => void;

function objKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/**
 * The object store: a map per resource type, one global resourceVersion counter and a bounded
 * history of changes for watches.
 */
export class Store {
  private rv = 1000;
  private readonly data = new Map<string, Map<string, KubeObject>>();
  private readonly history: Change[] = [];
  private readonly listeners = new Set<ChangeListener>();

  constructor(private readonly maxHistory = 20000) {}

  get resourceVersion(): number {
    return this.rv;
  }

  /** The oldest resourceVersion a watch can resume from. */
  get oldestWatchableRv(): number {
    return this.history.length ? this.history[0].rv - 1 : this.rv;
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changesSince(rv: number): Change[] {
    // history is sorted by rv
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid].rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  private bucket(rt: ResourceType): Map<string, KubeObject> {
    const key = resourceKey(rt);
    let b = this.data.get(key);
    if (!b) {
      b = new Map();
      this.data.set(key, b);
    }
    return b;
  }

  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.bucket(rt).get(objKey(rt.namespaced ? namespace : undefined, name));
    return o ? clone(o) : undefined;
  }

  has(rt: ResourceType, namespace: string | undefined, name: string): boolean {
    return this.bucket(rt).has(objKey(rt.namespaced ? namespace : undefined, name));
  }

  /** Objects of a type, optionally in one namespace, sorted by namespace then name. */
  list(rt: ResourceType, namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const o of this.bucket(rt).values()) {
      if (namespace && rt.namespaced && o.metadata.namespace !== namespace) continue;
      out.push(clone(o));
    }
    return out.sort(compareObjects);
  }

  /** Inserts or replaces an object, assigning it a new resourceVersion. Returns the stored copy. */
  put(rt: ResourceType, object: KubeObject, origin: Origin): KubeObject {
    const bucket = this.bucket(rt);
    const key = objKey(rt.namespaced ? object.metadata.namespace : undefined, object.metadata.name!);
    const old = bucket.get(key);
    this.rv += 1;
    const stored = clone(object);
    stored.metadata.resourceVersion = String(this.rv);
    bucket.set(key, stored);
    this.record({
      type: old ? 'MODIFIED' : 'ADDED',
      rt,
      object: clone(stored),
      old: old ? clone(old) : undefined,
      rv: this.rv,
      origin,
    });
    return clone(stored);
  }

  remove(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    origin: Origin,
  ): KubeObject | undefined {
    const bucket = this.bucket(rt);
    const key = objKey(rt.namespaced ? namespace : undefined, name);
    const old = bucket.get(key);
    if (!old) return undefined;
    bucket.delete(key);
    this.rv += 1;
    const last = clone(old);
    last.metadata.resourceVersion = String(this.rv);
    this.record({ type: 'DELETED', rt, object: clone(last), old: clone(old), rv: this.rv, origin });
    return last;
  }

  private record(change: Change) {
    this.history.push(change);
    if (this.history.length > this.maxHistory) {
      this.history.splice(0, this.history.length - this.maxHistory);
    }
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (e) {
        // a listener must never break the store
        // eslint-disable-next-line no-console
        console.error('demo-cluster: change listener failed', e);
      }
    }
  }
}

export function compareObjects(a: KubeObject, b: KubeObject): number {
  const na = a.metadata.namespace ?? '';
  const nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  const ma = a.metadata.name ?? '';
  const mb = b.metadata.name ?? '';
  if (ma === mb) return 0;
  return ma < mb ? -1 : 1;
}
