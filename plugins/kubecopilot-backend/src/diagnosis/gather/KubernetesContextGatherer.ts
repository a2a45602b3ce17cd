import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import type {
  FetchResponse,
  KubernetesFetchError,
  ObjectsByEntityResponse,
} from '@backstage/plugin-kubernetes-common';
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
import { redactAnalysisContext, redactText } from '../redaction';
import type { DiagnosisTarget } from '../types';
import { CallRunner, errorMessage } from './calls';
import { EntityObjects, emptyEntityObjects, selectTarget } from './target';
import type { ContextGatherer, GatheredContext } from './types';

export interface KubernetesContextGathererOptions {
  kubernetes: KubernetesBackendClient;
  logger?: LoggerService;
  /** Deadline of each call of the second wave (events, logs, …). Default 5 s. */
  callTimeoutMs?: number;
  /** Deadline of the entity's workloads query (it fans out to every cluster). Default 15 s. */
  workloadsTimeoutMs?: number;
  /** Calls in flight at once, per gather. Default 64. */
  concurrency?: number;
  /** `tailLines` of each log read. Default 200. */
  tailLines?: number;
  /**
   * `limitBytes` of each log read. The API server applies it after
   * `tailLines` and keeps the start, so it is a safety cap against huge
   * lines, not the usual limiter. Default 128 KiB.
   */
  limitBytes?: number;
  /** Pods whose logs are read, the least healthy first. Default 20. */
  maxLogPods?: number;
  /** Longer log lines are cut. Default 4000 characters. */
  maxLineLength?: number;
}

const FETCH_TYPES: Record<string, keyof EntityObjects> = {
  pods: 'pods',
  deployments: 'deployments',
  replicasets: 'replicasets',
  statefulsets: 'statefulsets',
  daemonsets: 'daemonsets',
  services: 'services',
  horizontalpodautoscalers: 'hpas',
  jobs: 'jobs',
  cronjobs: 'cronjobs',
  ingresses: 'ingresses',
};

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

function describeFetchError(e: KubernetesFetchError): string {
  if (e.errorType === 'FETCH_ERROR') return e.message;
  return `${e.resourcePath ?? 'a resource list'} could not be read (${
    e.errorType
  }${e.statusCode ? `, HTTP ${e.statusCode}` : ''})`;
}

function entityObjectsOf(resources: FetchResponse[]): EntityObjects {
  const out = emptyEntityObjects();
  for (const fetched of resources) {
    const list = FETCH_TYPES[fetched.type];
    if (list) (out[list] as unknown[]).push(...fetched.resources);
  }
  return out;
}

function countObjects(objects: EntityObjects): number {
  return Object.values(objects).reduce((n, list) => n + list.length, 0);
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

/**
 * Reads an entity's context through the Kubernetes backend in two waves:
 * the entity's workloads query, then everything else at once — the events of
 * the namespaces involved (one list per namespace, filtered here to the
 * entity's objects), Endpoints of the Services, PVCs and Nodes of the pods,
 * metadata-only existence checks of the ConfigMaps and Secrets the pods
 * reference, and the last lines of each container's log (and of its previous
 * instance when it restarted). The wall time is about two round trips of the
 * slowest call, not the sum of the calls.
 *
 * All reads are made on behalf of the caller. Everything is redacted before
 * it is returned; Secrets are only ever checked for existence.
 */
export class KubernetesContextGatherer implements ContextGatherer {
  static fromConfig(
    config: Config,
    deps: { kubernetes: KubernetesBackendClient; logger?: LoggerService },
  ): KubernetesContextGatherer {
    const c = config.getOptionalConfig('kubecopilot.diagnosis');
    return new KubernetesContextGatherer({
      ...deps,
      callTimeoutMs: c?.getOptionalNumber('callTimeoutMs'),
      workloadsTimeoutMs: c?.getOptionalNumber('workloadsTimeoutMs'),
      tailLines: c?.getOptionalNumber('tailLines'),
      limitBytes: c?.getOptionalNumber('logLimitBytes'),
      maxLogPods: c?.getOptionalNumber('maxLogPods'),
    });
  }

  private readonly kubernetes: KubernetesBackendClient;
  private readonly logger?: LoggerService;
  private readonly callTimeoutMs: number;
  private readonly workloadsTimeoutMs: number;
  private readonly concurrency: number;
  private readonly tailLines: number;
  private readonly limitBytes: number;
  private readonly maxLogPods: number;
  private readonly maxLineLength: number;

  constructor(options: KubernetesContextGathererOptions) {
    this.kubernetes = options.kubernetes;
    this.logger = options.logger;
    this.callTimeoutMs = options.callTimeoutMs ?? 5_000;
    this.workloadsTimeoutMs = options.workloadsTimeoutMs ?? 15_000;
    this.concurrency = options.concurrency ?? 64;
    this.tailLines = options.tailLines ?? 200;
    this.limitBytes = options.limitBytes ?? 128 * 1024;
    this.maxLogPods = options.maxLogPods ?? 20;
    this.maxLineLength = options.maxLineLength ?? 4_000;
  }

  async gather(
    entityRef: string,
    options: { target?: DiagnosisTarget; credentials: BackstageCredentials },
  ): Promise<GatheredContext> {
    const { target, credentials } = options;
    const started = performance.now();
    const calls = new CallRunner({
      timeoutMs: this.callTimeoutMs,
      concurrency: this.concurrency,
    });
    const errors: string[] = [];
    const finish = (
      contexts: AnalysisContext[],
      redactions = 0,
    ): GatheredContext => ({
      contexts,
      // Error texts can quote what the server said: scrub them like the rest.
      errors: [...new Set(errors)].map(e => redactText(e).value),
      stats: {
        wallMs: performance.now() - started,
        calls: calls.stats.calls,
        failedCalls: calls.stats.failedCalls,
        slowestCallMs: calls.stats.slowestCallMs,
        redactions,
      },
    });

    let response: ObjectsByEntityResponse;
    try {
      response = await calls.run(
        `the workloads query of ${entityRef}`,
        () => this.kubernetes.getObjectsByEntity(entityRef, { credentials }),
        this.workloadsTimeoutMs,
      );
    } catch (error) {
      // Denied is an answer about the caller, not a failed read.
      if (errorName(error) === 'NotAllowedError') throw error;
      errors.push(
        `The workloads of ${entityRef} could not be read: ${errorMessage(
          error,
        )}`,
      );
      return finish([]);
    }

    const selected: Array<{ cluster: string; objects: EntityObjects }> = [];
    let unreadable = false;
    for (const item of response.items ?? []) {
      const cluster = item.cluster.name;
      if (target?.cluster && target.cluster !== cluster) continue;
      for (const e of item.errors ?? []) {
        unreadable = true;
        errors.push(`cluster '${cluster}': ${describeFetchError(e)}`);
      }
      const all = entityObjectsOf(item.resources ?? []);
      const objects = target ? selectTarget(all, target) : all;
      if (objects && countObjects(objects) > 0) {
        selected.push({ cluster, objects });
      }
    }
    if (target && selected.length === 0) {
      const what = `${target.kind} ${
        target.namespace ? `${target.namespace}/` : ''
      }${target.name}`;
      if (!unreadable) {
        throw new NotFoundError(
          `${what} is not an object of ${entityRef}${
            target.cluster ? ` in cluster '${target.cluster}'` : ''
          }`,
        );
      }
      errors.push(`${what} was not found among the objects that could be read`);
      return finish([]);
    }

    const firstWaveErrors = errors.length;
    const contexts = await Promise.all(
      selected.map(s =>
        this.readCluster(
          s.cluster,
          s.objects,
          credentials,
          calls,
          errors,
        ).catch(error => {
          // An object shape nothing expected: keep what round one read.
          errors.push(
            `cluster '${
              s.cluster
            }': events, logs and related objects could not be gathered: ${errorMessage(
              error,
            )}`,
          );
          return createAnalysisContext(s.cluster, s.objects);
        }),
      ),
    );
    // Second-wave errors arrive in completion order; sort them so that the
    // same failures always read the same (and make the same cache key).
    errors.push(...errors.splice(firstWaveErrors).sort());
    let redactions = 0;
    const redacted = contexts.map(ctx => {
      const r = redactAnalysisContext(ctx);
      redactions += r.redactions;
      return r.value;
    });
    const result = finish(redacted, redactions);
    this.logger?.debug(
      `Gathered ${entityRef}: ${result.stats.calls} calls (${
        result.stats.failedCalls
      } failed) in ${Math.round(result.stats.wallMs)} ms, slowest ${Math.round(
        result.stats.slowestCallMs,
      )} ms`,
    );
    return result;
  }

  /** The second wave for one cluster: every call at once. */
  private async readCluster(
    cluster: string,
    objects: EntityObjects,
    credentials: BackstageCredentials,
    calls: CallRunner,
    errors: string[],
  ): Promise<AnalysisContext> {
    const read = <T>(
      what: string,
      path: string,
      query?: Record<string, string | number | boolean>,
    ) =>
      calls.run(`${what} in cluster '${cluster}'`, signal =>
        this.kubernetes.read<T>({ cluster, path, query, credentials, signal }),
      );
    const failed = (what: string) => (error: unknown) => {
      errors.push(
        `cluster '${cluster}': ${what} could not be read: ${errorMessage(
          error,
        )}`,
      );
    };

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
    const servicesWithSelector = objects.services.filter(
      s => Object.keys(s.spec?.selector ?? {}).length > 0,
    );

    // Events of the objects in the context, and of their PVCs and Endpoints.
    const involved = new Set<string>();
    for (const [list, kind] of Object.entries(LIST_KINDS)) {
      for (const o of objects[list as keyof EntityObjects] as Named[]) {
        involved.add(
          objectKey(kind, o.metadata?.namespace, o.metadata?.name ?? ''),
        );
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

    const eventsByNs: CoreV1Event[][] = namespaces.map(() => []);
    let nodeEvents: CoreV1Event[] = [];
    const endpoints: Array<V1Endpoints | undefined> = [];
    const pvcs: Array<V1PersistentVolumeClaim | undefined> = [];
    const nodes: Array<V1Node | undefined> = [];
    const missing: Array<MissingObject | undefined> = [];

    const tasks: Promise<unknown>[] = [];
    namespaces.forEach((ns, i) => {
      const what = `events of namespace ${ns}`;
      tasks.push(
        read<List<CoreV1Event>>(what, `/api/v1/namespaces/${ns}/events`)
          .then(list => {
            eventsByNs[i] = (list.items ?? []).filter(e =>
              involved.has(
                objectKey(
                  e.involvedObject?.kind ?? '',
                  e.involvedObject?.namespace ?? e.metadata?.namespace,
                  e.involvedObject?.name ?? '',
                ),
              ),
            );
          })
          .catch(failed(what)),
      );
    });
    if (nodeNames.length > 0) {
      // The kubelet files node events in `default`.
      const what = 'events of the nodes';
      const names = new Set(nodeNames);
      tasks.push(
        read<List<CoreV1Event>>(what, '/api/v1/namespaces/default/events', {
          fieldSelector: 'involvedObject.kind=Node',
        })
          .then(list => {
            nodeEvents = (list.items ?? []).filter(e =>
              names.has(e.involvedObject?.name ?? ''),
            );
          })
          .catch(failed(what)),
      );
    }
    servicesWithSelector.forEach((s, i) => {
      const ns = s.metadata?.namespace;
      const name = s.metadata?.name;
      const what = `Endpoints ${ns}/${name}`;
      tasks.push(
        read<V1Endpoints>(what, `/api/v1/namespaces/${ns}/endpoints/${name}`)
          .then(ep => {
            endpoints[i] = ep;
          })
          // No Endpoints object: the analyzer then cannot judge, which is
          // better than claiming there are no endpoints.
          .catch(e => (isNotFound(e) ? undefined : failed(what)(e))),
      );
    });
    claims.forEach((claim, i) => {
      const [ns, name] = claim.split('/');
      const what = `PersistentVolumeClaim ${claim}`;
      tasks.push(
        read<V1PersistentVolumeClaim>(
          what,
          `/api/v1/namespaces/${ns}/persistentvolumeclaims/${name}`,
        )
          .then(pvc => {
            pvcs[i] = pvc;
          })
          .catch(e => (isNotFound(e) ? undefined : failed(what)(e))),
      );
    });
    nodeNames.forEach((name, i) => {
      const what = `Node ${name}`;
      tasks.push(
        read<V1Node>(what, `/api/v1/nodes/${name}`)
          .then(node => {
            nodes[i] = node;
          })
          .catch(failed(what)),
      );
    });

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
    [...references.values()].forEach((ref, i) => {
      const what = `whether ${ref.kind} ${ref.namespace}/${ref.name} exists`;
      const plural = ref.kind === 'Secret' ? 'secrets' : 'configmaps';
      tasks.push(
        calls
          .run(`${what} in cluster '${cluster}'`, signal =>
            // Metadata only: a Secret's data is never read.
            this.kubernetes.readMetadata({
              cluster,
              path: `/api/v1/namespaces/${ref.namespace}/${plural}/${ref.name}`,
              credentials,
              signal,
            }),
          )
          .catch(e => {
            if (isNotFound(e)) missing[i] = ref;
            else failed(what)(e);
          }),
      );
    });

    const logReads = [...pods]
      .filter(p => !!p.spec?.nodeName)
      .map((pod, index) => ({ pod, index, priority: logPriority(pod) }))
      .sort((a, b) => b.priority - a.priority || a.index - b.index)
      .slice(0, this.maxLogPods)
      .sort((a, b) => a.index - b.index)
      .flatMap(p => logReadsOf(p.pod));
    const logs: Array<ContainerLog | undefined> = [];
    logReads.forEach((r, i) => {
      const what = `the ${r.previous ? 'previous ' : ''}log of ${r.namespace}/${
        r.pod
      } container ${r.container}`;
      tasks.push(
        calls
          .run(`${what} in cluster '${cluster}'`, signal =>
            this.kubernetes.readText({
              cluster,
              path: `/api/v1/namespaces/${r.namespace}/pods/${r.pod}/log`,
              query: {
                container: r.container,
                tailLines: this.tailLines,
                limitBytes: this.limitBytes,
                ...(r.previous ? { previous: true } : {}),
              },
              credentials,
              signal,
            }),
          )
          .then(text => {
            logs[i] = { ...r, lines: this.toLines(text) };
          })
          .catch(e => {
            // 400: no such log (not started yet, no previous instance);
            // 404: the pod is gone. Neither is a failure to report.
            const name = errorName(e);
            if (name === 'InputError' || name === 'NotFoundError') return;
            failed(what)(e);
          }),
      );
    });

    await Promise.all(tasks);

    const present = <T>(items: Array<T | undefined>) =>
      items.filter((x): x is T => x !== undefined);
    return createAnalysisContext(cluster, {
      ...objects,
      events: [...eventsByNs.flat(), ...nodeEvents],
      endpoints: present(endpoints),
      pvcs: present(pvcs),
      nodes: present(nodes),
      logs: present(logs),
      missing: present(missing),
    });
  }

  private toLines(text: string): string[] {
    const lines = text.split('\n');
    // A cut at limitBytes leaves a partial last line; a whole log ends in \n.
    if (
      !text.endsWith('\n') &&
      Buffer.byteLength(text, 'utf8') >= this.limitBytes
    ) {
      lines.pop();
    }
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.map(l =>
      l.length > this.maxLineLength ? `${l.slice(0, this.maxLineLength)}…` : l,
    );
  }
}
