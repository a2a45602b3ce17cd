/**
 * Wires the simulated controllers to the store: every change made after start (through the API
 * or by a controller) queues the controllers it concerns. Seeded objects are never touched
 * until such a change reaches them.
 */
import { KubeObject } from '../types';
import { RESOURCE_TYPES, ResourceType, T } from '../api/resources';
import { Change } from '../store/store';
import { DeleteOptions } from '../api/objects';
import { SimContext, controllerOf } from './context';
import { Kubelet } from './kubelet';
import { DeploymentController } from './deployment';
import { ReplicaSetController } from './replicaset';
import { DaemonSetController, StatefulSetController } from './statefulset';
import { EndpointsController } from './endpoints';

export class ControllerManager {
  readonly kubelet: Kubelet;
  readonly deployments: DeploymentController;
  readonly replicaSets: ReplicaSetController;
  readonly statefulSets: StatefulSetController;
  readonly daemonSets: DaemonSetController;
  readonly endpoints: EndpointsController;
  private unsubscribe?: () => void;

  constructor(private readonly ctx: SimContext) {
    this.kubelet = new Kubelet(ctx);
    this.deployments = new DeploymentController(ctx);
    this.replicaSets = new ReplicaSetController(ctx);
    this.statefulSets = new StatefulSetController(ctx);
    this.daemonSets = new DaemonSetController(ctx);
    this.endpoints = new EndpointsController(ctx);
  }

  start() {
    this.unsubscribe = this.ctx.store.subscribe(change => this.onChange(change));
    this.ctx.api.onDeleted = (rt, obj, opts) => this.collectGarbage(rt, obj, opts);
  }

  stop() {
    this.unsubscribe?.();
    this.ctx.api.onDeleted = undefined;
    this.ctx.stop();
  }

  private enqueueOwner(o: KubeObject) {
    const ref = controllerOf(o);
    if (!ref || !o.metadata.namespace) return;
    const ns = o.metadata.namespace;
    if (ref.kind === 'ReplicaSet') this.replicaSets.enqueue(ns, ref.name);
    else if (ref.kind === 'Deployment') this.deployments.enqueue(ns, ref.name);
    else if (ref.kind === 'StatefulSet') this.statefulSets.enqueue(ns, ref.name);
    else if (ref.kind === 'DaemonSet') this.daemonSets.enqueue(ns, ref.name);
  }

  private onChange(change: Change) {
    if (change.origin === 'seed' || this.ctx.isStopped) return;
    const { rt, type, object: o, old } = change;
    const ns = o.metadata.namespace ?? '';
    const name = o.metadata.name!;
    switch (rt.kind) {
      case 'Deployment':
        if (type !== 'DELETED') this.deployments.enqueue(ns, name);
        break;
      case 'ReplicaSet':
        if (type !== 'DELETED') this.replicaSets.enqueue(ns, name);
        this.enqueueOwner(o);
        break;
      case 'StatefulSet':
        if (type !== 'DELETED') this.statefulSets.enqueue(ns, name);
        break;
      case 'DaemonSet':
        if (type !== 'DELETED') this.daemonSets.enqueue(ns, name);
        break;
      case 'Pod':
        if (type === 'ADDED') this.kubelet.onPodAdded(o);
        if (type === 'DELETED') {
          this.kubelet.onPodDeleted(o);
          this.ctx.logs.deletePod(ns, name);
        }
        this.enqueueOwner(o);
        if (old && controllerOf(old)?.uid !== controllerOf(o)?.uid) this.enqueueOwner(old);
        for (const svc of this.endpoints.servicesSelecting(ns, [o.metadata.labels, old?.metadata.labels])) {
          this.endpoints.enqueue(ns, svc);
        }
        break;
      case 'Service':
        this.endpoints.enqueue(ns, name);
        break;
      case 'ConfigMap':
      case 'Secret':
        if (type !== 'DELETED') this.kubelet.onConfigAdded(ns);
        break;
      case 'Node':
        for (const ds of this.ctx.store.list(T.daemonsets)) {
          this.daemonSets.enqueue(ds.metadata.namespace!, ds.metadata.name!);
        }
        break;
      case 'Namespace':
        if (type === 'ADDED' && change.origin === 'api') this.populateNamespace(name);
        break;
      default:
        break;
    }
  }

  /** What the service-account and root-CA publishers create in a new namespace. */
  private populateNamespace(ns: string) {
    this.ctx.enqueue(`namespace:${ns}`, () => {
      if (!this.ctx.store.has(T.namespaces, undefined, ns)) return;
      if (!this.ctx.store.has(T.serviceaccounts, ns, 'default')) {
        this.ctx.createObject(T.serviceaccounts, ns, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
      }
      if (!this.ctx.store.has(T.configmaps, ns, 'kube-root-ca.crt')) {
        this.ctx.createObject(T.configmaps, ns, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'kube-root-ca.crt', namespace: ns, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
          data: { 'ca.crt': this.ctx.options.caPem },
        });
      }
    });
  }

  /** Background garbage collection of dependents (ownerReferences), or orphaning. */
  private collectGarbage(_rt: ResourceType, owner: KubeObject, opts: DeleteOptions) {
    const uid = owner.metadata.uid;
    if (!uid) return;
    this.ctx.enqueue(`gc:${uid}`, () => {
      for (const t of RESOURCE_TYPES) {
        if (t.virtual) continue;
        for (const o of this.ctx.store.list(t)) {
          const refs = o.metadata.ownerReferences ?? [];
          if (!refs.some(r => r?.uid === uid)) continue;
          if (opts.propagationPolicy === 'Orphan') {
            this.ctx.mutate(t, o.metadata.namespace, o.metadata.name!, x => {
              x.metadata.ownerReferences = (x.metadata.ownerReferences ?? []).filter(r => r?.uid !== uid);
              if (!x.metadata.ownerReferences?.length) delete x.metadata.ownerReferences;
            });
          } else if (refs.every(r => r?.uid === uid || !this.ownerExists(o, r))) {
            this.ctx.deleteObject(t, o.metadata.namespace, o.metadata.name!);
          }
        }
      }
    });
  }

  private ownerExists(o: KubeObject, ref: { kind: string; name: string; uid: string; apiVersion: string }): boolean {
    const t = RESOURCE_TYPES.find(r => r.kind === ref.kind && !r.virtual);
    if (!t) return false;
    const owner = this.ctx.store.get(t, t.namespaced ? o.metadata.namespace : undefined, ref.name);
    return owner?.metadata.uid === ref.uid;
  }
}
