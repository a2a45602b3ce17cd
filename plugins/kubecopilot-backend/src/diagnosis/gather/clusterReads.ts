import type {
  CoreV1Event,
  V1Endpoints,
  V1IngressClass,
  V1Node,
  V1PersistentVolumeClaim,
  V1StorageClass,
} from '@kubernetes/client-node';
import { AnalysisContext, createAnalysisContext } from '../../analyzers';
import { readConfigReferences } from './configReads';
import { budgetEvents, readPdbs } from './pdbReads';
import { readMissingServices } from './serviceNameReads';
import { readNetworkPolicies } from './netpolReads';
import {
  readEndpointSlices,
  selectorlessServices,
  unbackedServices,
} from './selectorlessReads';
import { LogOptions, readLogs } from './logReads';
import { ObjectName, readNamed } from './namespaceLists';
import {
  ClusterReads,
  isNotFound,
  List,
  Named,
  objectKey,
  reader,
  unique,
} from './reader';
import { EntityObjects } from './target';

export type { ClusterReads } from './reader';
export type { LogOptions } from './logReads';

/** Kind of the objects in each list, to match events' involvedObject. */
const LIST_KINDS: Record<keyof EntityObjects, string> = {
  pods: 'Pod',
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  services: 'Service',
  hpas: 'HorizontalPodAutoscaler',
  jobs: 'Job',
  cronjobs: 'CronJob',
  ingresses: 'Ingress',
};

const byName = (a: ObjectName, b: ObjectName) =>
  a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);

/**
 * The claims of the entity: those its pods mount, and those its
 * StatefulSets' volumeClaimTemplates make (`<template>-<set>-<ordinal>`),
 * which exist before any pod can mount them and explain a pod that cannot
 * be scheduled.
 */
function claimsOf(objects: EntityObjects): ObjectName[] {
  const keys = new Set<string>();
  const claims: ObjectName[] = [];
  const add = (namespace: string | undefined, name: string | undefined) => {
    if (!namespace || !name) return;
    const k = `${namespace}/${name}`;
    if (keys.has(k)) return;
    keys.add(k);
    claims.push({ namespace, name });
  };
  for (const p of objects.pods) {
    for (const v of p.spec?.volumes ?? []) {
      add(p.metadata?.namespace, v.persistentVolumeClaim?.claimName);
    }
  }
  for (const s of objects.statefulsets) {
    const replicas = s.spec?.replicas ?? 1;
    for (const t of s.spec?.volumeClaimTemplates ?? []) {
      for (let i = 0; i < replicas; i++) {
        add(
          s.metadata?.namespace,
          `${t.metadata?.name}-${s.metadata?.name}-${i}`,
        );
      }
    }
  }
  return claims.sort(byName);
}

/** What the second wave reads, derived from the first wave's objects. */
function secondWave(objects: EntityObjects) {
  const namespaces = unique(
    Object.values(objects)
      .flat()
      .map(o => (o as Named).metadata?.namespace)
      .filter((ns): ns is string => !!ns),
  ).sort();
  const claims = claimsOf(objects);
  const nodeNames = unique(
    objects.pods.map(p => p.spec?.nodeName).filter((n): n is string => !!n),
  ).sort();
  const services = objects.services
    // Selector-less ones too: their Endpoints are written by hand.
    .filter(s => s.spec?.type !== 'ExternalName')
    .map(s => ({
      namespace: s.metadata?.namespace ?? '',
      name: s.metadata?.name ?? '',
    }));
  // Events of the objects in the context, and of their PVCs and Endpoints.
  const involved = new Set<string>();
  for (const [list, kind] of Object.entries(LIST_KINDS)) {
    for (const o of objects[list as keyof EntityObjects] as Named[]) {
      involved.add(
        objectKey(kind, o.metadata?.namespace, o.metadata?.name ?? ''),
      );
    }
  }
  for (const c of claims) {
    involved.add(objectKey('PersistentVolumeClaim', c.namespace, c.name));
  }
  for (const s of services) {
    involved.add(objectKey('Endpoints', s.namespace, s.name));
  }
  return { namespaces, claims, nodeNames, services, involved };
}

/** Events of the namespaces involved, filtered to the context's objects, and of its nodes. */
async function readEvents(
  reads: ClusterReads,
  wave: ReturnType<typeof secondWave>,
): Promise<CoreV1Event[]> {
  const { read, failed } = reader(reads);
  const byNamespace = wave.namespaces.map(ns => {
    const what = `events of namespace ${ns}`;
    return read<List<CoreV1Event>>(what, `/api/v1/namespaces/${ns}/events`)
      .then(list =>
        (list.items ?? []).filter(
          e =>
            wave.involved.has(
              objectKey(
                e.involvedObject?.kind ?? '',
                e.involvedObject?.namespace ?? e.metadata?.namespace,
                e.involvedObject?.name ?? '',
              ),
            ) ||
            // Which budgets cover the pods is read at the same time: their
            // events are narrowed to those once it is known.
            e.involvedObject?.kind === 'PodDisruptionBudget',
        ),
      )
      .catch(error => {
        failed(what)(error);
        return [] as CoreV1Event[];
      });
  });
  let ofNodes: Promise<CoreV1Event[]> = Promise.resolve([]);
  if (wave.nodeNames.length > 0) {
    // The kubelet files node events in `default`.
    const what = 'events of the nodes';
    const names = new Set(wave.nodeNames);
    ofNodes = read<List<CoreV1Event>>(
      what,
      '/api/v1/namespaces/default/events',
      { fieldSelector: 'involvedObject.kind=Node' },
    )
      .then(list =>
        (list.items ?? []).filter(e => names.has(e.involvedObject?.name ?? '')),
      )
      .catch(error => {
        failed(what)(error);
        return [] as CoreV1Event[];
      });
  }
  const lists = await Promise.all([...byNamespace, ofNodes]);
  return lists.flat();
}

/** The nodes the pods run on, one GET each (a cluster's node list can be huge). */
async function readNodes(
  reads: ClusterReads,
  names: string[],
): Promise<V1Node[]> {
  const { read, failed } = reader(reads);
  const nodes = await Promise.all(
    names.map(name =>
      read<V1Node>(`Node ${name}`, `/api/v1/nodes/${name}`).catch(error => {
        failed(`Node ${name}`)(error);
        return undefined;
      }),
    ),
  );
  return nodes.filter((n): n is V1Node => n !== undefined);
}

/**
 * A cluster-scoped list a rule may use, or undefined when unknown: read
 * only when needed; a cluster that does not serve it (404) is no error.
 */
async function readOptionalList<T>(
  reads: ClusterReads,
  needed: boolean,
  what: string,
  path: string,
): Promise<T[] | undefined> {
  if (!needed) return undefined;
  const { read, failed } = reader(reads);
  return read<List<T>>(what, path)
    .then(list => list.items ?? [])
    .catch(error => {
      if (!isNotFound(error)) failed(what)(error);
      return undefined;
    });
}

/**
 * The second wave for one cluster: every call at once. Objects wanted by
 * name (Endpoints, claims, ConfigMaps, Secrets) are read one list per
 * namespace, not one GET per object.
 */
export async function readCluster(
  reads: ClusterReads,
  objects: EntityObjects,
  logOptions: LogOptions,
  now: number = Date.now(),
): Promise<AnalysisContext> {
  const wave = secondWave(objects);
  const selectorless = selectorlessServices(objects);
  const [
    events,
    endpoints,
    pvcs,
    nodes,
    config,
    logs,
    storageclasses,
    ingressclasses,
    pdbs,
    networkpolicies,
    missingServices,
    slices,
  ] = await Promise.all([
    readEvents(reads, wave),
    readNamed<V1Endpoints>(reads, {
      kind: 'Endpoints',
      collection: ns => `/api/v1/namespaces/${ns}/endpoints`,
      wanted: wave.services,
    }),
    readNamed<V1PersistentVolumeClaim>(reads, {
      kind: 'PersistentVolumeClaim',
      collection: ns => `/api/v1/namespaces/${ns}/persistentvolumeclaims`,
      wanted: wave.claims,
    }),
    readNodes(reads, wave.nodeNames),
    readConfigReferences(reads, objects.pods, objects.ingresses),
    readLogs(reads, objects.pods, logOptions, now),
    readOptionalList<V1StorageClass>(
      reads,
      wave.claims.length > 0,
      'StorageClasses',
      '/apis/storage.k8s.io/v1/storageclasses',
    ),
    readOptionalList<V1IngressClass>(
      reads,
      objects.ingresses.length > 0,
      'IngressClasses',
      '/apis/networking.k8s.io/v1/ingressclasses',
    ),
    readPdbs(reads, objects),
    readNetworkPolicies(reads, objects),
    readMissingServices(reads, objects),
    // Every Service's slices: the current API, and a selector-less one's only backing.
    readEndpointSlices(reads, wave.services),
  ]);
  const missingEndpoints = unbackedServices(
    selectorless,
    endpoints.absent,
    slices,
  );
  return createAnalysisContext(reads.cluster, {
    ...objects,
    events: budgetEvents(events, pdbs),
    endpoints: endpoints.found,
    pvcs: pvcs.found,
    nodes,
    logs,
    missing: config.missing,
    objectKeys: config.objectKeys,
    ...(storageclasses ? { storageclasses } : {}),
    ...(ingressclasses ? { ingressclasses } : {}),
    ...(pdbs ? { pdbs } : {}),
    ...(networkpolicies ? { networkpolicies } : {}),
    ...(slices?.length ? { endpointslices: slices } : {}),
    ...(missingEndpoints ? { missingEndpoints } : {}),
    ...(missingServices ? { missingServices } : {}),
    now,
  });
}
