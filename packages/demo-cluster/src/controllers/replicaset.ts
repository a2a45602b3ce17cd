/** The simulated ReplicaSet controller: keeps `spec.replicas` pods and reports their readiness. */
import { KubeObject } from '../types';
import { T } from '../api/resources';
import { SimContext, isControlledBy, isPodActive, isPodReady, ownerRef } from './context';
import { clone, randomSuffix } from '../util';

/** Deletion preference, like controller.ActivePods ordering: least useful pods first. */
function deletionRank(pod: KubeObject): number[] {
  const scheduled = pod.spec?.nodeName ? 1 : 0;
  const phase = ({ Running: 2, Pending: 1 } as Record<string, number>)[pod.status?.phase] ?? 0;
  const ready = isPodReady(pod) ? 1 : 0;
  const restarts = (pod.status?.containerStatuses ?? []).reduce((n: number, c: any) => n + (c?.restartCount ?? 0), 0);
  const created = Date.parse(pod.metadata.creationTimestamp ?? '') || 0;
  return [scheduled, phase, ready, -restarts, -created];
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

export function podFromTemplate(owner: KubeObject, template: any, name: string | undefined, generateName: string): KubeObject {
  const t = clone(template ?? {});
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(name ? { name } : { generateName }),
      namespace: owner.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}) },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ownerReferences: [ownerRef(owner)],
    },
    spec: t.spec ?? {},
  };
}

export class ReplicaSetController {
  constructor(private readonly ctx: SimContext) {}

  enqueue(namespace: string, name: string) {
    this.ctx.enqueue(`replicaset:${namespace}/${name}`, () => this.sync(namespace, name));
  }

  sync(namespace: string, name: string) {
    const rs = this.ctx.store.get(T.replicasets, namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const desired: number = rs.spec?.replicas ?? 1;
    let pods = this.ctx.store.list(T.pods, namespace).filter(p => isControlledBy(p, rs) && isPodActive(p));
    if (pods.length < desired) {
      for (let i = pods.length; i < desired; i++) {
        let podName = `${name}-${randomSuffix(5)}`;
        while (this.ctx.store.has(T.pods, namespace, podName)) podName = `${name}-${randomSuffix(5)}`;
        const created = this.ctx.createObject(T.pods, namespace, podFromTemplate(rs, rs.spec?.template, podName, `${name}-`));
        if (created) {
          this.ctx.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, { component: 'replicaset-controller' });
        }
      }
    } else if (pods.length > desired) {
      const victims = [...pods].sort((a, b) => compareRank(deletionRank(a), deletionRank(b))).slice(0, pods.length - desired);
      for (const p of victims) {
        this.ctx.deleteObject(T.pods, namespace, p.metadata.name!);
        this.ctx.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, { component: 'replicaset-controller' });
      }
    }
    pods = this.ctx.store.list(T.pods, namespace).filter(p => isControlledBy(p, rs) && isPodActive(p));
    const ready = pods.filter(isPodReady).length;
    const status: Record<string, any> = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) if (status[k] === 0) delete status[k];
    if (rs.status?.conditions) status.conditions = rs.status.conditions;
    this.ctx.mutate(T.replicasets, namespace, name, r => {
      r.status = status;
    });
  }
}
