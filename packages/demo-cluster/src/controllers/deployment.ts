/**
 * The simulated Deployment controller: one ReplicaSet per pod template (named
 * `<deployment>-<pod-template-hash>`), rolling updates bounded by maxSurge/maxUnavailable,
 * Recreate, scaling, ScalingReplicaSet events, revision annotations and the status fields and
 * conditions `kubectl rollout status` reads (including ProgressDeadlineExceeded).
 */
import { KubeObject } from '../types';
import { T } from '../api/resources';
import { normalizeTemplate } from '../api/admission';
import { SimContext, isControlledBy, ownerRef, setCondition } from './context';
import { clone, deepEqual, fnv32a, parseTime, rfc3339, safeEncode, stableStringify } from '../util';

const REVISION = 'deployment.kubernetes.io/revision';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
/** Like the deployment controller's limit on the revision-history annotation. */
const REVISION_HISTORY_LIMIT_CHARS = 2000;

/**
 * The revision-history annotation of a ReplicaSet taken back into use: the revisions it had
 * before, oldest first, trimmed from the front to the controller's length limit.
 */
export function appendRevisionHistory(history: string | undefined, oldRevision: string): string {
  const revisions = history ? history.split(',') : [];
  revisions.push(oldRevision);
  while (revisions.join(',').length > REVISION_HISTORY_LIMIT_CHARS && revisions.length > 1) revisions.shift();
  return revisions.join(',');
}

/**
 * The ReplicaSet whose pod template is the Deployment's, compared as the deployment
 * controller's EqualIgnoreHash does: the templates without the pod-template-hash label, empty
 * maps equal to absent ones (normalizeTemplate). Several may match after a hash collision: the
 * oldest wins, as in FindNewReplicaSet.
 */
export function findNewReplicaSet(d: KubeObject, all: KubeObject[]): KubeObject | undefined {
  const template = normalizeTemplate(d.spec?.template);
  return [...all]
    .sort((a, b) => String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? '')))
    .find(rs => deepEqual(normalizeTemplate(rs.spec?.template), template));
}

function revisionOf(rs: KubeObject): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
}

/** An int-or-percent value resolved against `total` (percentages round up for surge, down for unavailable). */
function resolve(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value ?? ''));
  if (m) {
    const v = (Number(m[1]) * total) / 100;
    return roundUp ? Math.ceil(v) : Math.floor(v);
  }
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

export function surgeAndUnavailable(d: KubeObject): { maxSurge: number; maxUnavailable: number } {
  const desired = d.spec?.replicas ?? 1;
  if ((d.spec?.strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return { maxSurge: 0, maxUnavailable: 0 };
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const maxSurge = resolve(ru.maxSurge ?? '25%', desired, true);
  let maxUnavailable = resolve(ru.maxUnavailable ?? '25%', desired, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: desired === 0 ? 0 : Math.min(maxUnavailable, desired) };
}

export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const h = fnv32a(stableStringify(normalizeTemplate(template)) + (collisionCount ? `#${collisionCount}` : ''));
  return safeEncode(h);
}

export class DeploymentController {
  constructor(private readonly ctx: SimContext) {}

  enqueue(namespace: string, name: string) {
    this.ctx.enqueue(`deployment:${namespace}/${name}`, () => this.sync(namespace, name));
  }

  private scaleRs(d: KubeObject, rs: KubeObject, replicas: number, maxSurge: number): KubeObject {
    const from = rs.spec?.replicas ?? 0;
    const desired = d.spec?.replicas ?? 1;
    const updated = this.ctx.mutate(T.replicasets, rs.metadata.namespace, rs.metadata.name!, r => {
      r.spec.replicas = replicas;
      r.metadata.annotations = {
        ...(r.metadata.annotations ?? {}),
        [DESIRED]: String(desired),
        [MAX]: String(desired + maxSurge),
      };
      if (from !== replicas) r.metadata.generation = Number(r.metadata.generation ?? 1) + 1;
    });
    if (from !== replicas) {
      this.ctx.event(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${replicas > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${replicas}`,
        { component: 'deployment-controller' },
      );
    }
    return updated ?? rs;
  }

  sync(namespace: string, name: string) {
    const d = this.ctx.store.get(T.deployments, namespace, name);
    if (!d || d.metadata.deletionTimestamp) return;
    let progressReason: { reason: string; message: string } | undefined;
    if (!d.spec?.paused) {
      const found = this.ensureNewReplicaSet(d);
      if (!found) return;
      progressReason = found.progressReason;
      this.rollout(d, found.newRs, found.all);
    }
    this.updateStatus(namespace, name, progressReason);
  }

  /**
   * The ReplicaSet of the Deployment's current template: created when there is none, or
   * taken back into use as the newest revision when the template went back to an earlier
   * one. Undefined when it could not be created.
   */
  private ensureNewReplicaSet(
    d: KubeObject,
  ): { newRs: KubeObject; all: KubeObject[]; progressReason?: { reason: string; message: string } } | undefined {
    const namespace = d.metadata.namespace!;
    const name = d.metadata.name!;
    const desired: number = d.spec?.replicas ?? 1;
    const { maxSurge } = surgeAndUnavailable(d);
    let all = this.ctx.store.list(T.replicasets, namespace).filter(rs => isControlledBy(rs, d));
    let newRs = findNewReplicaSet(d, all);
    const maxRevision = all.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    let progressReason: { reason: string; message: string } | undefined;
    if (!newRs) {
      let collision = Number(d.status?.collisionCount ?? 0);
      let hash = podTemplateHash(d.spec?.template, collision);
      while (this.ctx.store.has(T.replicasets, namespace, `${name}-${hash}`) && collision < 20) {
        collision += 1;
        hash = podTemplateHash(d.spec?.template, collision);
      }
      const rsTemplate = clone(d.spec?.template ?? {});
      rsTemplate.metadata = rsTemplate.metadata ?? {};
      rsTemplate.metadata.labels = { ...(rsTemplate.metadata.labels ?? {}), 'pod-template-hash': hash };
      const selector = clone(d.spec?.selector ?? {});
      selector.matchLabels = { ...(selector.matchLabels ?? {}), 'pod-template-hash': hash };
      const created = this.ctx.createObject(T.replicasets, namespace, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${name}-${hash}`,
          namespace,
          labels: { ...(rsTemplate.metadata.labels ?? {}) },
          annotations: {
            [DESIRED]: String(desired),
            [MAX]: String(desired + maxSurge),
            [REVISION]: String(maxRevision + 1),
          },
          ownerReferences: [ownerRef(d)],
        },
        spec: {
          replicas: 0,
          minReadySeconds: d.spec?.minReadySeconds ?? 0,
          selector,
          template: rsTemplate,
        },
      });
      if (!created) return undefined;
      newRs = created;
      all = [...all, created];
      progressReason = { reason: 'NewReplicaSetCreated', message: `Created new replica set "${created.metadata.name}"` };
      if (collision !== Number(d.status?.collisionCount ?? 0)) {
        this.ctx.mutate(T.deployments, namespace, name, o => {
          o.status = { ...(o.status ?? {}), collisionCount: collision };
        });
      }
    } else if (revisionOf(newRs) < maxRevision) {
      // The template went back to an earlier revision (rollout undo, a revert): its
      // ReplicaSet is taken back into use as the newest revision and keeps the numbers it
      // had, as SetNewReplicaSetAnnotations does; the rollout below then scales it up and
      // the others down.
      const oldRevision = String(revisionOf(newRs));
      newRs =
        this.ctx.mutate(T.replicasets, namespace, newRs.metadata.name!, r => {
          r.metadata.annotations = {
            ...(r.metadata.annotations ?? {}),
            [REVISION]: String(maxRevision + 1),
            [REVISION_HISTORY]: appendRevisionHistory(r.metadata.annotations?.[REVISION_HISTORY], oldRevision),
          };
        }) ?? newRs;
      progressReason = { reason: 'FoundNewReplicaSet', message: `Found new replica set "${newRs.metadata.name}"` };
    }
    return { newRs, all, progressReason };
  }

  /** Scales the new ReplicaSet up and the old ones down, as the strategy says. */
  private rollout(d: KubeObject, newRs: KubeObject, all: KubeObject[]) {
    const namespace = d.metadata.namespace!;
    const desired: number = d.spec?.replicas ?? 1;
    const { maxSurge } = surgeAndUnavailable(d);
    const newName = newRs.metadata.name;
    const olds = all.filter(rs => rs.metadata.name !== newName);
    const active = olds.filter(rs => (rs.spec?.replicas ?? 0) > 0);
    const podsOf = (rs: KubeObject) =>
      this.ctx.store.list(T.pods, namespace).filter(p => isControlledBy(p, rs) && !p.metadata.deletionTimestamp).length;

    if ((d.spec?.strategy?.type ?? 'RollingUpdate') === 'Recreate') {
      for (const rs of active) this.scaleRs(d, rs, 0, maxSurge);
      const oldPods = olds.reduce((n, rs) => n + podsOf(rs), 0);
      if (oldPods === 0 && (newRs.spec?.replicas ?? 0) !== desired) this.scaleRs(d, newRs, desired, maxSurge);
    } else if (active.length === 0) {
      if ((newRs.spec?.replicas ?? 0) !== desired) this.scaleRs(d, newRs, desired, maxSurge);
    } else {
      this.rollingUpdate(d, newRs, all, olds);
    }
  }

  /** One step of a rolling update, within maxSurge and maxUnavailable. */
  private rollingUpdate(d: KubeObject, newRs: KubeObject, all: KubeObject[], olds: KubeObject[]) {
    const namespace = d.metadata.namespace!;
    const newName = newRs.metadata.name;
    const desired: number = d.spec?.replicas ?? 1;
    const { maxSurge, maxUnavailable } = surgeAndUnavailable(d);
    let current = newRs;
    // scale up the new ReplicaSet within maxSurge
    const newReplicas = current.spec?.replicas ?? 0;
    const total = all.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
    if (newReplicas > desired) {
      current = this.scaleRs(d, current, desired, maxSurge);
    } else if (newReplicas < desired) {
      const room = desired + maxSurge - total;
      if (room > 0) current = this.scaleRs(d, current, Math.min(desired, newReplicas + room), maxSurge);
    }
    // scale down old ReplicaSets while keeping desired - maxUnavailable available
    const minAvailable = desired - maxUnavailable;
    const allTotal = all.reduce((n, rs) => n + (rs.metadata.name === current!.metadata.name ? current!.spec?.replicas ?? 0 : rs.spec?.replicas ?? 0), 0);
    const newUnavailable = (current.spec?.replicas ?? 0) - (current.status?.availableReplicas ?? 0);
    let maxScaledDown = allTotal - minAvailable - Math.max(0, newUnavailable);
    // first: old replicas that are not available anyway
    olds.sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of olds) {
      if (maxScaledDown <= 0) break;
      const replicas = rs.spec?.replicas ?? 0;
      const unhealthy = replicas - (rs.status?.availableReplicas ?? 0);
      if (replicas === 0 || unhealthy <= 0) continue;
      const down = Math.min(unhealthy, maxScaledDown);
      this.scaleRs(d, rs, replicas - down, maxSurge);
      maxScaledDown -= down;
    }
    const refreshed = this.ctx.store.list(T.replicasets, namespace).filter(rs => isControlledBy(rs, d));
    const availableNow = refreshed.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
    let canRemove = availableNow - minAvailable;
    for (const rs of refreshed.filter(r => r.metadata.name !== newName).sort((a, b) => revisionOf(a) - revisionOf(b))) {
      if (canRemove <= 0) break;
      const replicas = rs.spec?.replicas ?? 0;
      if (replicas === 0) continue;
      const down = Math.min(replicas, canRemove);
      this.scaleRs(d, rs, replicas - down, maxSurge);
      canRemove -= down;
    }
  }

  private updateStatus(namespace: string, name: string, progressReason?: { reason: string; message: string }) {
    const d = this.ctx.store.get(T.deployments, namespace, name);
    if (!d) return;
    const desired: number = d.spec?.replicas ?? 1;
    const { maxUnavailable } = surgeAndUnavailable(d);
    const all = this.ctx.store.list(T.replicasets, namespace).filter(rs => isControlledBy(rs, d));
    const newRs = findNewReplicaSet(d, all);
    const sum = (f: (rs: KubeObject) => number) => all.reduce((n, rs) => n + f(rs), 0);
    const replicas = sum(rs => rs.status?.replicas ?? 0);
    const updatedReplicas = newRs?.status?.replicas ?? 0;
    const readyReplicas = sum(rs => rs.status?.readyReplicas ?? 0);
    const availableReplicas = sum(rs => rs.status?.availableReplicas ?? 0);
    const specTotal = sum(rs => rs.spec?.replicas ?? 0);
    const old = d.status ?? {};
    const now = rfc3339();
    const status: Record<string, any> = {
      ...(old.collisionCount ? { collisionCount: old.collisionCount } : {}),
      observedGeneration: d.metadata.generation ?? 1,
      replicas,
      updatedReplicas,
      readyReplicas,
      availableReplicas,
    };
    const unavailable = Math.max(0, specTotal - availableReplicas);
    if (unavailable > 0) status.unavailableReplicas = unavailable;
    for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas']) {
      if (status[k] === 0) delete status[k];
    }
    let conds: any[] = clone(old.conditions ?? []);
    const available = availableReplicas >= desired - maxUnavailable;
    conds = setCondition(
      conds,
      available
        ? { type: 'Available', status: 'True', lastUpdateTime: now, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
        : { type: 'Available', status: 'False', lastUpdateTime: now, reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
      now,
    );
    const rsName = newRs?.metadata.name ?? name;
    const complete =
      updatedReplicas === desired && replicas === desired && availableReplicas === desired && (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 1);
    const current = conds.find(c => c?.type === 'Progressing');
    const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
    const newOld = replicas - updatedReplicas;
    const progressing =
      updatedReplicas > (old.updatedReplicas ?? 0) ||
      newOld < oldOld ||
      readyReplicas > (old.readyReplicas ?? 0) ||
      availableReplicas > (old.availableReplicas ?? 0);
    const deadline = Number(d.spec?.progressDeadlineSeconds ?? 600);
    if (d.spec?.paused) {
      conds = setCondition(conds, { type: 'Progressing', status: 'Unknown', lastUpdateTime: now, reason: 'DeploymentPaused', message: 'Deployment is paused' }, now);
    } else if (progressReason) {
      conds = conds.filter(c => c?.type !== 'Progressing');
      conds.push({
        type: 'Progressing',
        status: 'True',
        lastUpdateTime: now,
        lastTransitionTime: current?.status === 'True' ? current.lastTransitionTime : now,
        reason: progressReason.reason,
        message: progressReason.message,
      });
    } else if (complete) {
      if (!(current?.status === 'True' && current?.reason === 'NewReplicaSetAvailable')) {
        conds = conds.filter(c => c?.type !== 'Progressing');
        conds.push({
          type: 'Progressing',
          status: 'True',
          lastUpdateTime: now,
          lastTransitionTime: current?.status === 'True' ? current.lastTransitionTime : now,
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
        });
      }
    } else if (progressing || !current) {
      conds = conds.filter(c => c?.type !== 'Progressing');
      conds.push({
        type: 'Progressing',
        status: 'True',
        lastUpdateTime: now,
        lastTransitionTime: current?.status === 'True' ? current.lastTransitionTime : now,
        reason: 'ReplicaSetUpdated',
        message: `ReplicaSet "${rsName}" is progressing.`,
      });
    } else if (current.reason !== 'ProgressDeadlineExceeded') {
      const last = parseTime(current.lastUpdateTime) ?? Date.now();
      const due = last + deadline * 1000;
      if (Date.now() >= due) {
        conds = conds.filter(c => c?.type !== 'Progressing');
        conds.push({
          type: 'Progressing',
          status: 'False',
          lastUpdateTime: now,
          lastTransitionTime: now,
          reason: 'ProgressDeadlineExceeded',
          message: `ReplicaSet "${rsName}" has timed out progressing.`,
        });
      } else {
        this.ctx.after(`deployment-deadline:${namespace}/${name}`, due - Date.now() + 10, () => this.updateStatus(namespace, name));
      }
    }
    status.conditions = conds;
    const revision = newRs ? newRs.metadata.annotations?.[REVISION] : undefined;
    this.ctx.mutate(T.deployments, namespace, name, o => {
      o.status = status;
      if (revision) o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [REVISION]: revision };
    });
    // keep checking the deadline while a rollout is incomplete
    if (!complete && !d.spec?.paused && !this.ctx.hasTimer(`deployment-deadline:${namespace}/${name}`)) {
      const cur = status.conditions.find((c: any) => c?.type === 'Progressing');
      if (cur && cur.reason !== 'ProgressDeadlineExceeded') {
        const due = (parseTime(cur.lastUpdateTime) ?? Date.now()) + deadline * 1000;
        this.ctx.after(`deployment-deadline:${namespace}/${name}`, Math.max(0, due - Date.now()) + 10, () => this.updateStatus(namespace, name));
      }
    }
  }
}
