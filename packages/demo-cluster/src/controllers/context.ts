/** Shared plumbing of the simulated controllers: work queue, timers, writes, events. */
import { KubeObject, OwnerReference } from '../types';
import { ObjectApi } from '../api/objects';
import { ResourceType, T, apiVersionOf } from '../api/resources';
import { Store } from '../store/store';
import { ImageBehaviors } from './images';
import { LogStore } from '../store/logs';
import { clone, deepEqual, hex16, rfc3339 } from '../util';

export class SimContext {
  private readonly queue = new Map<string, () => void>();
  private scheduled = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;
  /** uids of pods the simulated kubelet runs (pods created through the API after start). */
  readonly managedPods = new Set<string>();
  /** event dedup: key -> event name */
  private readonly eventNames = new Map<string, string>();

  constructor(
    readonly api: ObjectApi,
    readonly store: Store,
    readonly behaviors: ImageBehaviors,
    readonly logs: LogStore,
    readonly options: { podStartupMs: number; caPem: string },
  ) {}

  /** Queues work under a key (deduplicated) to run after the current change settles. */
  enqueue(key: string, fn: () => void) {
    if (this.stopped) return;
    this.queue.delete(key);
    this.queue.set(key, fn);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain() {
    this.scheduled = false;
    let budget = 10000;
    while (this.queue.size && budget-- > 0 && !this.stopped) {
      const [key, fn] = this.queue.entries().next().value as [string, () => void];
      this.queue.delete(key);
      try {
        fn();
      } catch (e) {
        // eslint-disable-next-line no-console
        console.error(`demo-cluster: controller ${key} failed`, e);
      }
    }
    if (this.queue.size && !this.stopped) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Runs `fn` after `ms` (one timer per key; re-arming replaces it). */
  after(key: string, ms: number, fn: () => void) {
    if (this.stopped) return;
    this.cancel(key);
    const t = setTimeout(() => {
      this.timers.delete(key);
      if (!this.stopped) this.enqueue(`timer:${key}`, fn);
    }, Math.max(0, ms));
    t.unref?.();
    this.timers.set(key, t);
  }

  hasTimer(key: string): boolean {
    return this.timers.has(key);
  }

  cancel(key: string) {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
  }

  cancelPrefix(prefix: string) {
    for (const k of [...this.timers.keys()]) if (k.startsWith(prefix)) this.cancel(k);
  }

  stop() {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.queue.clear();
  }

  get isStopped() {
    return this.stopped;
  }

  /**
   * Read-modify-write of one object as a controller (no validation, no preconditions).
   * Writes only when `fn` changed something. Returns the stored object.
   */
  mutate(rt: ResourceType, namespace: string | undefined, name: string, fn: (o: KubeObject) => void): KubeObject | undefined {
    const current = this.store.get(rt, namespace, name);
    if (!current) return undefined;
    const next = clone(current);
    fn(next);
    if (deepEqual(next, current)) return current;
    return this.store.put(rt, next, 'controller');
  }

  createObject(rt: ResourceType, namespace: string | undefined, obj: KubeObject): KubeObject | undefined {
    try {
      return this.api.create(rt, namespace, obj, { origin: 'controller' });
    } catch (e) {
      // eslint-disable-next-line no-console
      console.error(`demo-cluster: controller could not create ${rt.kind}: ${(e as Error).message}`);
      return undefined;
    }
  }

  deleteObject(rt: ResourceType, namespace: string | undefined, name: string) {
    try {
      this.api.delete(rt, namespace, name, { origin: 'controller' });
    } catch {
      // already gone
    }
  }

  /** Records (or bumps the count of) a core/v1 Event about `involved`. */
  event(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: { component: string; host?: string },
    fieldPath?: string,
  ) {
    const ns = involved.metadata.namespace || 'default';
    const dedup = `${involved.metadata.uid}|${reason}|${message}|${fieldPath ?? ''}`;
    const now = rfc3339();
    const existingName = this.eventNames.get(dedup);
    if (existingName && this.store.has(T.events, ns, existingName)) {
      this.mutate(T.events, ns, existingName, ev => {
        ev.count = Number(ev.count ?? 1) + 1;
        ev.lastTimestamp = now;
      });
      return;
    }
    const name = `${involved.metadata.name}.${hex16()}`;
    const ev: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: {
        kind: involved.kind,
        namespace: involved.metadata.namespace,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
    if (this.createObject(T.events, ns, ev)) this.eventNames.set(dedup, name);
  }
}

export function controllerOf(o: KubeObject): OwnerReference | undefined {
  return (o.metadata.ownerReferences ?? []).find(r => r?.controller);
}

export function isControlledBy(o: KubeObject, owner: KubeObject): boolean {
  return controllerOf(o)?.uid === owner.metadata.uid;
}

export function ownerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? apiVersionOf({ group: '', version: 'v1' }),
    kind: owner.kind!,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** A pod counts as ready when its Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c?.type === 'Ready' && c?.status === 'True');
}

export function isPodActive(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** Sets a condition, keeping lastTransitionTime when the status does not change. */
export function setCondition(conditions: any[], cond: Record<string, any>, now = rfc3339()): any[] {
  const list = Array.isArray(conditions) ? conditions : [];
  const current = list.find(c => c?.type === cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason && current.message === cond.message) {
    return list;
  }
  const next = {
    ...cond,
    lastTransitionTime: current && current.status === cond.status ? current.lastTransitionTime : now,
  };
  return list.map(c => (c?.type === cond.type ? next : c)).concat(current ? [] : [next]);
}
