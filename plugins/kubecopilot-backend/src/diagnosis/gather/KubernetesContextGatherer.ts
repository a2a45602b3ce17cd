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
import { AnalysisContext, createAnalysisContext } from '../../analyzers';
import type { KubernetesBackendClient } from '../../kubernetes/types';
import { redactAnalysisContext, redactText } from '../redaction';
import type { DiagnosisTarget } from '../types';
import { CallRunner, errorMessage } from './calls';
import { readCluster } from './clusterReads';
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

const errorName = (e: unknown) => (e as { name?: string } | undefined)?.name;

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

/** What one gather carries through its phases. */
interface GatherRun {
  started: number;
  entityRef: string;
  credentials: BackstageCredentials;
  calls: CallRunner;
  /** Notes of what could not be read, in the order they arose. */
  errors: string[];
}

/** An entity's objects in one cluster, narrowed to the target if any. */
type SelectedCluster = { cluster: string; objects: EntityObjects };

/** The gather's answer: contexts, distinct redacted errors and call stats. */
function finish(
  run: GatherRun,
  contexts: AnalysisContext[],
  redactions = 0,
): GatheredContext {
  return {
    contexts,
    // Error texts can quote what the server said: scrub them like the rest.
    errors: [...new Set(run.errors)].map(e => redactText(e).value),
    stats: {
      wallMs: performance.now() - run.started,
      calls: run.calls.stats.calls,
      failedCalls: run.calls.stats.failedCalls,
      slowestCallMs: run.calls.stats.slowestCallMs,
      redactions,
    },
  };
}

/**
 * The clusters with something to diagnose (only the target's cluster when
 * it names one), noting each cluster's read errors; `unreadable` when any
 * list could not be read.
 */
function selectClusters(
  response: ObjectsByEntityResponse,
  target: DiagnosisTarget | undefined,
  errors: string[],
): { selected: SelectedCluster[]; unreadable: boolean } {
  const selected: SelectedCluster[] = [];
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
  return { selected, unreadable };
}

/**
 * A target found in no cluster: NotFound when everything could be read,
 * else a note (it may be among what could not).
 */
function reportMissingTarget(
  entityRef: string,
  target: DiagnosisTarget,
  unreadable: boolean,
  errors: string[],
): void {
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
}

/** Redacts every context, counting the redactions made. */
function redactContexts(contexts: AnalysisContext[]): {
  contexts: AnalysisContext[];
  redactions: number;
} {
  let redactions = 0;
  const redacted = contexts.map(ctx => {
    const r = redactAnalysisContext(ctx);
    redactions += r.redactions;
    return r.value;
  });
  return { contexts: redacted, redactions };
}

/**
 * Reads an entity's context through the Kubernetes backend in two waves:
 * the entity's workloads query, then everything else at once — the events of
 * the namespaces involved (one list per namespace, filtered here to the
 * entity's objects); the Endpoints of the Services, the claims of the pods
 * and StatefulSets, and the ConfigMaps and Secrets the pods and Ingresses
 * reference, each one list per namespace rather than one GET per object;
 * the Nodes of the pods; StorageClasses and IngressClasses when claims or
 * Ingresses need them; and the logs of the containers in trouble (with
 * their previous instance when they restarted) plus one healthy replica's
 * per template. The wall time is about two round trips of the slowest
 * call, not the sum of the calls.
 *
 * All reads are made on behalf of the caller. Everything is redacted before
 * it is returned. Secrets are only ever read as metadata (existence, and
 * the key names their managedFields record); ConfigMaps are reduced to their
 * key names as they arrive.
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
    const run: GatherRun = {
      started: performance.now(),
      entityRef,
      credentials,
      calls: new CallRunner({
        timeoutMs: this.callTimeoutMs,
        concurrency: this.concurrency,
      }),
      errors: [],
    };
    const response = await this.readWorkloads(run);
    if (!response) return finish(run, []);

    const { selected, unreadable } = selectClusters(
      response,
      target,
      run.errors,
    );
    if (target && selected.length === 0) {
      reportMissingTarget(entityRef, target, unreadable, run.errors);
      return finish(run, []);
    }

    const contexts = await this.readClusters(run, selected);
    const redacted = redactContexts(contexts);
    const result = finish(run, redacted.contexts, redacted.redactions);
    this.logger?.debug(
      `Gathered ${entityRef}: ${result.stats.calls} calls (${
        result.stats.failedCalls
      } failed) in ${Math.round(result.stats.wallMs)} ms, slowest ${Math.round(
        result.stats.slowestCallMs,
      )} ms`,
    );
    return result;
  }

  /**
   * Round one: the entity's workloads query. Undefined (with a note) when
   * it failed; a denial is rethrown.
   */
  private async readWorkloads(
    run: GatherRun,
  ): Promise<ObjectsByEntityResponse | undefined> {
    const { entityRef, credentials } = run;
    try {
      return await run.calls.run(
        `the workloads query of ${entityRef}`,
        () => this.kubernetes.getObjectsByEntity(entityRef, { credentials }),
        this.workloadsTimeoutMs,
      );
    } catch (error) {
      // Denied is an answer about the caller, not a failed read.
      if (errorName(error) === 'NotAllowedError') throw error;
      run.errors.push(
        `The workloads of ${entityRef} could not be read: ${errorMessage(
          error,
        )}`,
      );
      return undefined;
    }
  }

  /**
   * Round two: events, logs and related objects of every selected cluster
   * at once; a cluster whose reads break keeps what round one read.
   */
  private async readClusters(
    run: GatherRun,
    selected: SelectedCluster[],
  ): Promise<AnalysisContext[]> {
    const { errors } = run;
    const firstWaveErrors = errors.length;
    // "Now" for the rules that tell the present from history.
    const now = Date.now();
    const contexts = await Promise.all(
      selected.map(s =>
        readCluster(
          {
            cluster: s.cluster,
            kubernetes: this.kubernetes,
            credentials: run.credentials,
            calls: run.calls,
            errors,
          },
          s.objects,
          {
            tailLines: this.tailLines,
            limitBytes: this.limitBytes,
            maxLogPods: this.maxLogPods,
            toLines: text => this.toLines(text),
          },
          now,
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
    return contexts;
  }

  toLines(text: string): string[] {
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
