import type {
  V1ObjectMeta,
  V1OwnerReference,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';
import type { AnalysisContext } from '../../analyzers';
import type { DiagnosisTarget } from '../types';

/** The lists the entity's workloads query returns (round one of a gather). */
export type EntityObjects = Pick<
  AnalysisContext,
  | 'pods'
  | 'deployments'
  | 'replicasets'
  | 'statefulsets'
  | 'daemonsets'
  | 'services'
  | 'hpas'
  | 'jobs'
  | 'cronjobs'
  | 'ingresses'
>;

type Meta = { metadata?: V1ObjectMeta };

/** Kind → list, for the kinds a target may name. */
const LISTS: Record<string, keyof EntityObjects> = {
  pod: 'pods',
  deployment: 'deployments',
  replicaset: 'replicasets',
  statefulset: 'statefulsets',
  daemonset: 'daemonsets',
  service: 'services',
  horizontalpodautoscaler: 'hpas',
  job: 'jobs',
  cronjob: 'cronjobs',
  ingress: 'ingresses',
};

export function emptyEntityObjects(): EntityObjects {
  return {
    pods: [],
    deployments: [],
    replicasets: [],
    statefulsets: [],
    daemonsets: [],
    services: [],
    hpas: [],
    jobs: [],
    cronjobs: [],
    ingresses: [],
  };
}

function controllerOf(meta?: V1ObjectMeta): V1OwnerReference | undefined {
  const refs = meta?.ownerReferences ?? [];
  return refs.find(r => r.controller) ?? refs[0];
}

const same = (a: Meta, namespace: string | undefined, name: string) =>
  a.metadata?.name === name &&
  (namespace === undefined || a.metadata?.namespace === namespace);

function ownedBy(child: Meta, kind: string, owner: Meta): boolean {
  const ref = controllerOf(child.metadata);
  return (
    ref?.kind === kind &&
    ref.name === owner.metadata?.name &&
    child.metadata?.namespace === owner.metadata?.namespace
  );
}

function selects(svc: V1Service, pod: V1Pod): boolean {
  const selector = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  if (svc.metadata?.namespace !== pod.metadata?.namespace) return false;
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** What a selection reads from (`all`) and what it has picked so far (`out`). */
type Selection = { all: EntityObjects; out: EntityObjects };

/** Adds items to one of the selected lists, each object at most once. */
function add<K extends keyof EntityObjects>(
  sel: Selection,
  list: K,
  items: EntityObjects[K],
) {
  for (const item of items as Meta[]) {
    if (!(sel.out[list] as Meta[]).includes(item)) {
      (sel.out[list] as Meta[]).push(item);
    }
  }
}

/**
 * The pods a Deployment runs: those owned by its ReplicaSets or, since
 * ReplicaSets may be missing from the query, by a ReplicaSet named
 * `<deployment>-<pod-template-hash>`.
 */
function deploymentPods(
  all: EntityObjects,
  w: Meta,
  rss: EntityObjects['replicasets'],
): V1Pod[] {
  return all.pods.filter(
    p =>
      rss.some(rs => ownedBy(p, 'ReplicaSet', rs)) ||
      (controllerOf(p.metadata)?.kind === 'ReplicaSet' &&
        p.metadata?.namespace === w.metadata?.namespace &&
        controllerOf(p.metadata)?.name ===
          `${w.metadata?.name}-${p.metadata?.labels?.['pod-template-hash']}`),
  );
}

/** Adds a workload and everything below it. */
function addWorkload(sel: Selection, kind: string, w: Meta) {
  const { all } = sel;
  switch (kind) {
    case 'Deployment': {
      add(sel, 'deployments', [w] as EntityObjects['deployments']);
      const rss = all.replicasets.filter(rs => ownedBy(rs, kind, w));
      add(sel, 'replicasets', rss);
      add(sel, 'pods', deploymentPods(all, w, rss));
      break;
    }
    case 'CronJob': {
      add(sel, 'cronjobs', [w] as EntityObjects['cronjobs']);
      for (const job of all.jobs.filter(j => ownedBy(j, kind, w))) {
        addWorkload(sel, 'Job', job);
      }
      break;
    }
    // The pods' direct owners: the workload, then the pods it controls.
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      add(sel, LISTS[kind.toLowerCase()], [w] as never);
      add(
        sel,
        'pods',
        all.pods.filter(p => ownedBy(p, kind, w)),
      );
      break;
    default:
      break;
  }
}

/** Adds the owners of an object up to the top-level workload. */
function addOwners(sel: Selection, child: Meta) {
  const ref = controllerOf(child.metadata);
  if (!ref) return;
  const ns = child.metadata?.namespace;
  const list = LISTS[ref.kind.toLowerCase()];
  if (!list) return;
  const owner = (sel.all[list] as Meta[]).find(o => same(o, ns, ref.name));
  if (!owner) return;
  add(sel, list, [owner] as never);
  addOwners(sel, owner);
}

/** Adds the target itself and, by its kind, what sits below or above it. */
function addTarget(sel: Selection, listName: keyof EntityObjects, found: Meta) {
  const { all } = sel;
  switch (listName) {
    case 'pods':
      add(sel, 'pods', [found] as V1Pod[]);
      addOwners(sel, found);
      break;
    case 'services': {
      const svc = found as V1Service;
      add(sel, 'services', [svc]);
      for (const pod of all.pods.filter(p => selects(svc, p))) {
        add(sel, 'pods', [pod]);
        addOwners(sel, pod);
      }
      break;
    }
    case 'ingresses': {
      add(sel, 'ingresses', [found] as EntityObjects['ingresses']);
      break;
    }
    case 'hpas': {
      const hpa = found as EntityObjects['hpas'][number];
      add(sel, 'hpas', [hpa]);
      const ref = hpa.spec?.scaleTargetRef;
      const list = ref && LISTS[ref.kind.toLowerCase()];
      const scaled =
        list &&
        (all[list] as Meta[]).find(o =>
          same(o, hpa.metadata?.namespace, ref.name),
        );
      if (scaled) addWorkload(sel, ref.kind, scaled);
      break;
    }
    default:
      addWorkload(sel, kindOfList(listName), found);
      addOwners(sel, found);
  }
}

/**
 * Adds the Services in front of the selected pods (or named by a selected
 * Ingress), then what routes to and scales what was selected.
 */
function addSurroundings(sel: Selection, listName: keyof EntityObjects) {
  const { all, out } = sel;
  if (listName !== 'pods' || out.services.length === 0) {
    add(
      sel,
      'services',
      all.services.filter(s => out.pods.some(p => selects(s, p))),
    );
  }
  for (const ing of out.ingresses) {
    const ns = ing.metadata?.namespace;
    const names = backendServices(ing);
    add(
      sel,
      'services',
      all.services.filter(
        s => s.metadata?.namespace === ns && names.has(s.metadata?.name ?? ''),
      ),
    );
  }
  add(
    sel,
    'ingresses',
    all.ingresses.filter(ing => {
      const names = backendServices(ing);
      return out.services.some(
        s =>
          s.metadata?.namespace === ing.metadata?.namespace &&
          names.has(s.metadata?.name ?? ''),
      );
    }),
  );
  add(
    sel,
    'hpas',
    all.hpas.filter(h => {
      const ref = h.spec?.scaleTargetRef;
      const list = ref && LISTS[ref.kind.toLowerCase()];
      return (
        !!list &&
        (out[list] as Meta[]).some(o =>
          same(o, h.metadata?.namespace, ref.name),
        )
      );
    }),
  );
}

/**
 * Narrows an entity's objects to one target and what explains it: a
 * workload with its ReplicaSets/Jobs and pods, the Services that select those
 * pods, the Ingresses that route to those Services and the HPAs that scale
 * the workload; a pod with its owners (not its siblings); a Service with the
 * pods it selects and their workloads. Returns undefined when the target is
 * not among the entity's objects: a diagnosis never reads outside the entity.
 */
export function selectTarget(
  all: EntityObjects,
  target: DiagnosisTarget,
): EntityObjects | undefined {
  const listName = LISTS[target.kind.toLowerCase()];
  if (!listName) return undefined;
  const found = (all[listName] as Meta[]).find(o =>
    same(o, target.namespace, target.name),
  );
  if (!found) return undefined;

  const sel: Selection = { all, out: emptyEntityObjects() };
  addTarget(sel, listName, found);
  addSurroundings(sel, listName);
  return sel.out;
}

const WORKLOAD_KINDS: Partial<Record<keyof EntityObjects, string>> = {
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
};

function kindOfList(list: keyof EntityObjects): string {
  return WORKLOAD_KINDS[list] ?? '';
}

function backendServices(ing: EntityObjects['ingresses'][number]): Set<string> {
  const names = new Set<string>();
  const def = ing.spec?.defaultBackend?.service?.name;
  if (def) names.add(def);
  for (const rule of ing.spec?.rules ?? []) {
    for (const path of rule.http?.paths ?? []) {
      if (path.backend?.service?.name) names.add(path.backend.service.name);
    }
  }
  return names;
}
