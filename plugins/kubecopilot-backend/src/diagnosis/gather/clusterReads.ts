import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  CoreV1Event,
  V1ContainerStatus,
  V1Endpoints,
  V1Node,
  V1PersistentVolumeClaim,
  V1Pod,
} from '@kubernetes/client-node';
import {
  AnalysisContext,
  ContainerLog,
  MissingObject,
  configReferencesOf,
  createAnalysisContext,
} from '../../analyzers';
import type { KubernetesBackendClient } from '../../kubernetes/types';
import { CallRunner, errorMessage } from './calls';
import { EntityObjects } from './target';

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

type Named = { metadata?: { name?: string; namespace?: string } };
type List<T> = { items?: T[] };

const objectKey = (kind: string, namespace: string | undefined, name: string) =>
  `${kind}/${namespace ?? ''}/${name}`;

const errorName = (e: unknown) => (e as { name?: string } | undefined)?.name;
const isNotFound = (e: unknown) => errorName(e) === 'NotFoundError';

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** How urgently a pod's logs are wanted: crash-looping first. */
function logPriority(pod: V1Pod): number {
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  if (statuses.some(s => s.state?.waiting?.reason === 'CrashLoopBackOff'))
    return 4;
  if (statuses.some(s => s.lastState?.terminated || s.state?.terminated))
    return 3;
  if (statuses.some(s => (s.restartCount ?? 0) > 0)) return 2;
  if (statuses.some(s => s.ready === false)) return 1;
  return 0;
}

/** A log read the gatherer makes: one container, current or previous instance. */
interface LogRead {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
}

function logReadsOf(pod: V1Pod): LogRead[] {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const reads: LogRead[] = [];
  const consider = (s: V1ContainerStatus, init: boolean) => {
    const failed =
      (s.restartCount ?? 0) > 0 ||
      (s.state?.terminated && s.state.terminated.exitCode !== 0) ||
      !!s.lastState?.terminated;
    // A finished init container says little; a failing or sidecar one does.
    if (init && !failed && !s.state?.running) return;
    // Never started: there is no log yet, the API would answer 400.
    const started =
      !!s.state?.running || !!s.state?.terminated || !!s.lastState?.terminated;
    if (started)
      reads.push({ namespace, pod: name, container: s.name, previous: false });
    if (
      (s.restartCount ?? 0) > 0 ||
      s.state?.waiting?.reason === 'CrashLoopBackOff'
    ) {
      reads.push({ namespace, pod: name, container: s.name, previous: true });
    }
  };
  for (const s of pod.status?.initContainerStatuses ?? []) consider(s, true);
  for (const s of pod.status?.containerStatuses ?? []) consider(s, false);
  return reads;
}

/** How one cluster is read: its calls share a runner, a deadline and the error list. */
export interface ClusterReads {
  cluster: string;
  kubernetes: KubernetesBackendClient;
  credentials: BackstageCredentials;
  calls: CallRunner;
  errors: string[];
}

/** How logs are read and cut. */
export interface LogOptions {
  tailLines: number;
  limitBytes: number;
  maxLogPods: number;
  toLines: (text: string) => string[];
}

function reader(reads: ClusterReads) {
  const { cluster, kubernetes, credentials, calls } = reads;
  return {
    read: <T>(
      what: string,
      path: string,
      query?: Record<string, string | number | boolean>,
    ) =>
      calls.run(`${what} in cluster '${cluster}'`, signal =>
        kubernetes.read<T>({ cluster, path, query, credentials, signal }),
      ),
    failed: (what: string) => (error: unknown) => {
      reads.errors.push(
        `cluster '${cluster}': ${what} could not be read: ${errorMessage(
          error,
        )}`,
      );
    },
  };
}

/** What the second wave reads, derived from the first wave's objects. */
function secondWave(objects: EntityObjects) {
  const { pods } = objects;
  const namespaces = unique(
    Object.values(objects)
      .flat()
      .map(o => (o as Named).metadata?.namespace)
      .filter((ns): ns is string => !!ns),
  ).sort();
  const claims = unique(
    pods.flatMap(p =>
      (p.spec?.volumes ?? [])
        .map(v => v.persistentVolumeClaim?.claimName)
        .filter((c): c is string => !!c)
        .map(c => `${p.metadata?.namespace}/${c}`),
    ),
  ).sort();
  const nodeNames = unique(
    pods.map(p => p.spec?.nodeName).filter((n): n is string => !!n),
  ).sort();
  // Events of the objects in the context, and of their PVCs and Endpoints.
  const involved = new Set<string>();
  for (const [list, kind] of Object.entries(LIST_KINDS)) {
    for (const o of objects[list as keyof EntityObjects] as Named[]) {
      involved.add(objectKey(kind, o.metadata?.namespace, o.metadata?.name ?? ''));
    }
  }
  for (const claim of claims) {
    const [ns, name] = claim.split('/');
    involved.add(objectKey('PersistentVolumeClaim', ns, name));
  }
  for (const s of objects.services) {
    involved.add(
      objectKey('Endpoints', s.metadata?.namespace, s.metadata?.name ?? ''),
    );
  }
  return { namespaces, claims, nodeNames, involved };
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
        (list.items ?? []).filter(e =>
          wave.involved.has(
            objectKey(
              e.involvedObject?.kind ?? '',
              e.involvedObject?.namespace ?? e.metadata?.namespace,
              e.involvedObject?.name ?? '',
            ),
          ),
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
    ofNodes = read<List<CoreV1Event>>(what, '/api/v1/namespaces/default/events', {
      fieldSelector: 'involvedObject.kind=Node',
    })
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

/**
 * One object per path; a missing one is left out. `absentIsNormal`: a 404
 * is not reported (no Endpoints object: the analyzer then cannot judge,
 * which is better than claiming there are no endpoints).
 */
async function readEach<T>(
  reads: ClusterReads,
  items: Array<{ what: string; path: string }>,
  absentIsNormal: boolean,
): Promise<T[]> {
  const { read, failed } = reader(reads);
  const found = await Promise.all(
    items.map(({ what, path }) =>
      read<T>(what, path).catch(error => {
        if (!(absentIsNormal && isNotFound(error))) failed(what)(error);
        return undefined;
      }),
    ),
  );
  return found.filter((x): x is Awaited<T> => x !== undefined) as T[];
}

/** The ConfigMaps and Secrets the pods reference that do not exist. */
async function findMissing(
  reads: ClusterReads,
  pods: V1Pod[],
): Promise<MissingObject[]> {
  const { failed } = reader(reads);
  const references = new Map<string, MissingObject>();
  for (const pod of pods) {
    const namespace = pod.metadata?.namespace ?? '';
    for (const ref of configReferencesOf(pod)) {
      references.set(`${ref.kind}/${namespace}/${ref.name}`, {
        kind: ref.kind,
        namespace,
        name: ref.name,
      });
    }
  }
  const missing = await Promise.all(
    [...references.values()].map(ref => {
      const what = `whether ${ref.kind} ${ref.namespace}/${ref.name} exists`;
      const plural = ref.kind === 'Secret' ? 'secrets' : 'configmaps';
      return reads.calls
        .run(`${what} in cluster '${reads.cluster}'`, signal =>
          // Metadata only: a Secret's data is never read.
          reads.kubernetes.readMetadata({
            cluster: reads.cluster,
            path: `/api/v1/namespaces/${ref.namespace}/${plural}/${ref.name}`,
            credentials: reads.credentials,
            signal,
          }),
        )
        .then(() => undefined)
        .catch(e => {
          if (isNotFound(e)) return ref;
          failed(what)(e);
          return undefined;
        });
    }),
  );
  return missing.filter((m): m is MissingObject => m !== undefined);
}

/** The last lines of the least healthy pods' containers, and of their previous instances. */
async function readLogs(
  reads: ClusterReads,
  pods: V1Pod[],
  options: LogOptions,
): Promise<ContainerLog[]> {
  const { failed } = reader(reads);
  const logReads = [...pods]
    .filter(p => !!p.spec?.nodeName)
    .map((pod, index) => ({ pod, index, priority: logPriority(pod) }))
    .sort((a, b) => b.priority - a.priority || a.index - b.index)
    .slice(0, options.maxLogPods)
    .sort((a, b) => a.index - b.index)
    .flatMap(p => logReadsOf(p.pod));
  const logs = await Promise.all(
    logReads.map(r => {
      const what = `the ${r.previous ? 'previous ' : ''}log of ${r.namespace}/${
        r.pod
      } container ${r.container}`;
      return reads.calls
        .run(`${what} in cluster '${reads.cluster}'`, signal =>
          reads.kubernetes.readText({
            cluster: reads.cluster,
            path: `/api/v1/namespaces/${r.namespace}/pods/${r.pod}/log`,
            query: {
              container: r.container,
              tailLines: options.tailLines,
              limitBytes: options.limitBytes,
              ...(r.previous ? { previous: true } : {}),
            },
            credentials: reads.credentials,
            signal,
          }),
        )
        .then(text => ({ ...r, lines: options.toLines(text) }) as ContainerLog)
        .catch(e => {
          // 400: no such log (not started yet, no previous instance);
          // 404: the pod is gone. Neither is a failure to report.
          const name = errorName(e);
          if (name !== 'InputError' && name !== 'NotFoundError') failed(what)(e);
          return undefined;
        });
    }),
  );
  return logs.filter((l): l is ContainerLog => l !== undefined);
}

/** The second wave for one cluster: every call at once. */
export async function readCluster(
  reads: ClusterReads,
  objects: EntityObjects,
  logOptions: LogOptions,
): Promise<AnalysisContext> {
  const wave = secondWave(objects);
  const withSelector = objects.services.filter(
    s => Object.keys(s.spec?.selector ?? {}).length > 0,
  );
  const [events, endpoints, pvcs, nodes, missing, logs] = await Promise.all([
    readEvents(reads, wave),
    readEach<V1Endpoints>(
      reads,
      withSelector.map(s => ({
        what: `Endpoints ${s.metadata?.namespace}/${s.metadata?.name}`,
        path: `/api/v1/namespaces/${s.metadata?.namespace}/endpoints/${s.metadata?.name}`,
      })),
      true,
    ),
    readEach<V1PersistentVolumeClaim>(
      reads,
      wave.claims.map(claim => {
        const [ns, name] = claim.split('/');
        return {
          what: `PersistentVolumeClaim ${claim}`,
          path: `/api/v1/namespaces/${ns}/persistentvolumeclaims/${name}`,
        };
      }),
      true,
    ),
    readEach<V1Node>(
      reads,
      wave.nodeNames.map(name => ({
        what: `Node ${name}`,
        path: `/api/v1/nodes/${name}`,
      })),
      false,
    ),
    findMissing(reads, objects.pods),
    readLogs(reads, objects.pods, logOptions),
  ]);
  return createAnalysisContext(reads.cluster, {
    ...objects,
    events,
    endpoints,
    pvcs,
    nodes,
    logs,
    missing,
  });
}
