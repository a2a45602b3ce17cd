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

  const out = emptyEntityObjects();
  const add = <K extends keyof EntityObjects>(
    list: K,
    items: EntityObjects[K],
  ) => {
    for (const item of items as Meta[]) {
      if (!(out[list] as Meta[]).includes(item)) {
        (out[list] as Meta[]).push(item);
      }
    }
  };

  /** Adds a workload and everything below it. */
  const addWorkload = (kind: string, w: Meta) => {
    switch (kind) {
      case 'Deployment': {
        add('deployments', [w] as EntityObjects['deployments']);
        const rss = all.replicasets.filter(rs => ownedBy(rs, kind, w));
        add('replicasets', rss);
        add(
          'pods',
          all.pods.filter(
            p =>
              rss.some(rs => ownedBy(p, 'ReplicaSet', rs)) ||
              // ReplicaSets may be missing from the query; their names are
              // `<deployment>-<pod-template-hash>`.
              (controllerOf(p.metadata)?.kind === 'ReplicaSet' &&
                p.metadata?.namespace === w.metadata?.namespace &&
                controllerOf(p.metadata)?.name ===
                  `${w.metadata?.name}-${p.metadata?.labels?.['pod-template-hash']}`),
          ),
        );
        break;
      }
      case 'ReplicaSet':
        add('replicasets', [w] as EntityObjects['replicasets']);
        add(
          'pods',
          all.pods.filter(p => ownedBy(p, kind, w)),
        );
        break;
      case 'StatefulSet':
        add('statefulsets', [w] as EntityObjects['statefulsets']);
        add(
          'pods',
          all.pods.filter(p => ownedBy(p, kind, w)),
        );
        break;
      case 'DaemonSet':
        add('daemonsets', [w] as EntityObjects['daemonsets']);
        add(
          'pods',
          all.pods.filter(p => ownedBy(p, kind, w)),
        );
        break;
      case 'CronJob': {
        add('cronjobs', [w] as EntityObjects['cronjobs']);
        for (const job of all.jobs.filter(j => ownedBy(j, kind, w))) {
          addWorkload('Job', job);
        }
        break;
      }
      case 'Job':
        add('jobs', [w] as EntityObjects['jobs']);
        add(
          'pods',
          all.pods.filter(p => ownedBy(p, kind, w)),
        );
        break;
      default:
        break;
    }
  };

  /** Adds the owners of an object up to the top-level workload. */
  const addOwners = (child: Meta) => {
    const ref = controllerOf(child.metadata);
    if (!ref) return;
    const ns = child.metadata?.namespace;
    const list = LISTS[ref.kind.toLowerCase()];
    if (!list) return;
    const owner = (all[list] as Meta[]).find(o => same(o, ns, ref.name));
    if (!owner) return;
    add(list, [owner] as never);
    addOwners(owner);
  };

  switch (listName) {
    case 'pods':
      add('pods', [found] as V1Pod[]);
      addOwners(found);
      break;
    case 'services': {
      const svc = found as V1Service;
      add('services', [svc]);
      for (const pod of all.pods.filter(p => selects(svc, p))) {
        add('pods', [pod]);
        addOwners(pod);
      }
      break;
    }
    case 'ingresses': {
      add('ingresses', [found] as EntityObjects['ingresses']);
      break;
    }
    case 'hpas': {
      const hpa = found as EntityObjects['hpas'][number];
      add('hpas', [hpa]);
      const ref = hpa.spec?.scaleTargetRef;
      const list = ref && LISTS[ref.kind.toLowerCase()];
      const scaled =
        list &&
        (all[list] as Meta[]).find(o =>
          same(o, hpa.metadata?.namespace, ref.name),
        );
      if (scaled) addWorkload(ref.kind, scaled);
      break;
    }
    default:
      addWorkload(kindOfList(listName), found);
      addOwners(found);
  }

  // Services in front of the selected pods (or named by a selected Ingress),
  // then what routes to and scales what was selected.
  if (listName !== 'pods' || out.services.length === 0) {
    add(
      'services',
      all.services.filter(s => out.pods.some(p => selects(s, p))),
    );
  }
  for (const ing of out.ingresses) {
    const ns = ing.metadata?.namespace;
    const names = backendServices(ing);
    add(
      'services',
      all.services.filter(
        s => s.metadata?.namespace === ns && names.has(s.metadata?.name ?? ''),
      ),
    );
  }
  add(
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
  return out;
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
