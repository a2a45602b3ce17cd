/**
 * Simplified StatefulSet and DaemonSet controllers: stable pod names (`<name>-<ordinal>`) or
 * one pod per schedulable node, template changes replace pods (StatefulSet: highest ordinal
 * first, one at a time once the others are ready), and the status fields `kubectl rollout
 * status` reads.
 */
import { KubeObject } from '../types';
import { T } from '../api/resources';
import { SimContext, isControlledBy, isPodActive, isPodReady } from './context';
import { podTemplateHash } from './deployment';
import { podFromTemplate } from './replicaset';
import { randomSuffix } from '../util';

const REVISION_LABEL = 'controller-revision-hash';

export class StatefulSetController {
  constructor(private readonly ctx: SimContext) {}

  enqueue(namespace: string, name: string) {
    this.ctx.enqueue(`statefulset:${namespace}/${name}`, () => this.sync(namespace, name));
  }

  sync(namespace: string, name: string) {
    const sts = this.ctx.store.get(T.statefulsets, namespace, name);
    if (!sts || sts.metadata.deletionTimestamp) return;
    const desired: number = sts.spec?.replicas ?? 1;
    const revision = `${name}-${podTemplateHash(sts.spec?.template)}`;
    const parallel = sts.spec?.podManagementPolicy === 'Parallel';
    const owned = () => this.ctx.store.list(T.pods, namespace).filter(p => isControlledBy(p, sts) && isPodActive(p));
    const ordinal = (p: KubeObject) => Number(/-(\d+)$/.exec(p.metadata.name ?? '')?.[1] ?? -1);
    const src = { component: 'statefulset-controller' };

    for (const p of owned()) {
      if (ordinal(p) >= desired) {
        this.ctx.deleteObject(T.pods, namespace, p.metadata.name!);
        this.ctx.event(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`, src);
      }
    }
    let pods = owned();
    for (let i = 0; i < desired; i++) {
      const podName = `${name}-${i}`;
      if (pods.some(p => p.metadata.name === podName)) continue;
      if (this.ctx.store.has(T.pods, namespace, podName)) continue;
      if (!parallel && pods.some(p => ordinal(p) < i && !isPodReady(p))) break;
      const pod = podFromTemplate(sts, sts.spec?.template, podName, '');
      pod.metadata.labels = {
        ...(pod.metadata.labels ?? {}),
        [REVISION_LABEL]: revision,
        'statefulset.kubernetes.io/pod-name': podName,
        'apps.kubernetes.io/pod-index': String(i),
      };
      pod.spec.hostname = podName;
      if (sts.spec?.serviceName) pod.spec.subdomain = sts.spec.serviceName;
      if (this.ctx.createObject(T.pods, namespace, pod)) {
        this.ctx.event(sts, 'Normal', 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${name} successful`, src);
      }
      if (!parallel) break;
    }
    pods = owned();
    // rolling update: replace the highest outdated ordinal once every pod is ready
    const outdated = pods.filter(p => p.metadata.labels?.[REVISION_LABEL] !== revision).sort((a, b) => ordinal(b) - ordinal(a));
    if (outdated.length && (parallel || pods.every(isPodReady)) && pods.length >= desired) {
      const victim = outdated[0];
      this.ctx.deleteObject(T.pods, namespace, victim.metadata.name!);
      this.ctx.event(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${victim.metadata.name} in StatefulSet ${name} successful`, src);
      this.enqueue(namespace, name);
    }
    pods = owned();
    const ready = pods.filter(isPodReady).length;
    const updated = pods.filter(p => p.metadata.labels?.[REVISION_LABEL] === revision).length;
    const done = updated === desired && pods.length === desired;
    const currentRevision = done ? revision : sts.status?.currentRevision ?? revision;
    const current = pods.filter(p => p.metadata.labels?.[REVISION_LABEL] === currentRevision).length;
    const status: Record<string, any> = {
      observedGeneration: sts.metadata.generation ?? 1,
      replicas: pods.length,
      readyReplicas: ready,
      currentReplicas: current,
      updatedReplicas: updated,
      currentRevision,
      updateRevision: revision,
      collisionCount: 0,
      availableReplicas: ready,
    };
    for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas']) if (status[k] === 0) delete status[k];
    this.ctx.mutate(T.statefulsets, namespace, name, o => {
      o.status = status;
    });
  }
}

export class DaemonSetController {
  constructor(private readonly ctx: SimContext) {}

  enqueue(namespace: string, name: string) {
    this.ctx.enqueue(`daemonset:${namespace}/${name}`, () => this.sync(namespace, name));
  }

  sync(namespace: string, name: string) {
    const ds = this.ctx.store.get(T.daemonsets, namespace, name);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const revision = podTemplateHash(ds.spec?.template);
    const selector: Record<string, string> = ds.spec?.template?.spec?.nodeSelector ?? {};
    const nodes = this.ctx.store.list(T.nodes).filter(n => {
      const ready = (n.status?.conditions ?? []).some((c: any) => c?.type === 'Ready' && c?.status === 'True');
      const labels = n.metadata.labels ?? {};
      return ready && !n.spec?.unschedulable && Object.entries(selector).every(([k, v]) => labels[k] === v);
    });
    const src = { component: 'daemonset-controller' };
    const owned = () => this.ctx.store.list(T.pods, namespace).filter(p => isControlledBy(p, ds) && isPodActive(p));
    for (const p of owned()) {
      const onEligible = nodes.some(n => n.metadata.name === p.spec?.nodeName);
      if (!onEligible || p.metadata.labels?.[REVISION_LABEL] !== revision) {
        this.ctx.deleteObject(T.pods, namespace, p.metadata.name!);
        this.ctx.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, src);
      }
    }
    for (const node of nodes) {
      if (owned().some(p => p.spec?.nodeName === node.metadata.name)) continue;
      const podName = `${name}-${randomSuffix(5)}`;
      const pod = podFromTemplate(ds, ds.spec?.template, podName, `${name}-`);
      pod.metadata.labels = {
        ...(pod.metadata.labels ?? {}),
        [REVISION_LABEL]: revision,
        'pod-template-generation': String(ds.metadata.generation ?? 1),
      };
      pod.spec.nodeName = node.metadata.name;
      if (this.ctx.createObject(T.pods, namespace, pod)) {
        this.ctx.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${podName}`, src);
      }
    }
    const pods = owned();
    const ready = pods.filter(isPodReady).length;
    const status: Record<string, any> = {
      currentNumberScheduled: pods.length,
      numberMisscheduled: 0,
      desiredNumberScheduled: nodes.length,
      numberReady: ready,
      observedGeneration: ds.metadata.generation ?? 1,
      updatedNumberScheduled: pods.filter(p => p.metadata.labels?.[REVISION_LABEL] === revision).length,
      numberAvailable: ready,
    };
    if (nodes.length - ready > 0) status.numberUnavailable = nodes.length - ready;
    this.ctx.mutate(T.daemonsets, namespace, name, o => {
      o.status = status;
    });
  }
}
