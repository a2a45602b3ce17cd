import { parseEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type {
  KubernetesBackendClient,
  KubernetesReadRequest,
} from '../../kubernetes/types';

/** An object seeded into the fake: kind and name are required. */
export type SeededObject = {
  apiVersion?: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: any;
};

export interface FakeLog {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  lines: string[];
}

export interface FakeCluster {
  name: string;
  objects: SeededObject[];
  logs: FakeLog[];
}

/** A fault for requests whose path (with query) matches. */
export interface FakeFault {
  cluster?: string;
  path: RegExp;
  /** Fail with this error. */
  error?: Error;
  /** Answer only after this long (the gatherer's deadline should win). */
  delayMs?: number;
}

const WORKLOAD_TYPES: Record<string, string> = {
  Pod: 'pods',
  Service: 'services',
  ConfigMap: 'configmaps',
  Deployment: 'deployments',
  ReplicaSet: 'replicasets',
  HorizontalPodAutoscaler: 'horizontalpodautoscalers',
  Job: 'jobs',
  CronJob: 'cronjobs',
  Ingress: 'ingresses',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  // Only when an adopter adds `secrets` to the Kubernetes plugin's objectTypes.
  Secret: 'secrets',
};

const PLURALS: Record<string, string> = {
  events: 'Event',
  endpoints: 'Endpoints',
  persistentvolumeclaims: 'PersistentVolumeClaim',
  configmaps: 'ConfigMap',
  secrets: 'Secret',
  pods: 'Pod',
  nodes: 'Node',
  storageclasses: 'StorageClass',
  ingressclasses: 'IngressClass',
  poddisruptionbudgets: 'PodDisruptionBudget',
  services: 'Service',
  networkpolicies: 'NetworkPolicy',
  endpointslices: 'EndpointSlice',
};

/** Loads a demo-cluster scenario file: objects and ContainerLog documents. */
export function loadScenario(file: string): {
  objects: SeededObject[];
  logs: FakeLog[];
} {
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJS())
    .filter(Boolean);
  const objects: SeededObject[] = [];
  const logs: FakeLog[] = [];
  for (const doc of docs) {
    if (doc.kind === 'ContainerLog') {
      logs.push({
        namespace: doc.metadata.namespace,
        pod: doc.pod,
        container: doc.container,
        previous: !!doc.previous,
        lines: doc.lines,
      });
    } else if (!String(doc.apiVersion ?? '').startsWith('kubecopilot.dev/')) {
      objects.push(doc);
    }
  }
  return { objects, logs };
}

/**
 * A KubernetesBackendClient over in-memory objects, answering the way the
 * Kubernetes backend and an API server do: the entity's workloads by the
 * `backstage.io/kubernetes-id` label, GETs by path, metadata-only reads,
 * `pods/log` with `tailLines`/`previous`, 404s as NotFoundError. Every call
 * is recorded; `write` is a spy that must never be called by a diagnosis.
 */
export class FakeKubernetesClient implements KubernetesBackendClient {
  readonly requests: Array<{
    method: string;
    cluster?: string;
    path: string;
    query?: unknown;
  }> = [];
  /** When each call started and answered (ms, performance.now()), in call order. */
  readonly timings: Array<{ started: number; finished?: number }> = [];
  readonly faults: FakeFault[] = [];
  readonly write = jest.fn(async () => {
    throw new Error('a diagnosis must never write');
  });
  latencyMs = 0;

  constructor(readonly clusters: FakeCluster[]) {}

  async getObjectsByEntity(
    entityRef: string,
  ): Promise<ObjectsByEntityResponse> {
    this.requests.push({ method: 'workloads', path: entityRef });
    await this.delay(undefined, '/resources/workloads/query');
    const { name } = parseEntityRef(entityRef);
    return {
      items: this.clusters.map(c => {
        const byType = new Map<string, unknown[]>();
        for (const o of c.objects) {
          const type = WORKLOAD_TYPES[o.kind];
          if (
            !type ||
            o.metadata.labels?.['backstage.io/kubernetes-id'] !== name
          )
            continue;
          byType.set(type, [...(byType.get(type) ?? []), o]);
        }
        return {
          cluster: { name: c.name },
          podMetrics: [],
          errors: [],
          resources: [...byType.entries()].map(([type, resources]) => ({
            type,
            resources,
          })) as any,
        };
      }),
    };
  }

  async listClusters() {
    return this.clusters.map(c => ({ name: c.name }));
  }

  async read<T>(request: KubernetesReadRequest): Promise<T> {
    this.requests.push({
      method: 'read',
      cluster: request.cluster,
      path: request.path,
      query: request.query,
    });
    await this.delay(request.cluster, request.path);
    return this.lookup(request) as T;
  }

  async readMetadata<T>(request: KubernetesReadRequest): Promise<T> {
    this.requests.push({
      method: 'readMetadata',
      cluster: request.cluster,
      path: request.path,
      ...(request.query ? { query: request.query } : {}),
    });
    await this.delay(request.cluster, request.path);
    const found = this.lookup(request) as
      | SeededObject
      | { items: SeededObject[] };
    // What `as=PartialObjectMetadata[List]` returns: no spec, no data.
    if ('items' in found && Array.isArray(found.items)) {
      return {
        apiVersion: 'meta.k8s.io/v1',
        kind: 'PartialObjectMetadataList',
        metadata: {},
        items: found.items.map(o => ({
          apiVersion: 'meta.k8s.io/v1',
          kind: 'PartialObjectMetadata',
          metadata: o.metadata,
        })),
      } as T;
    }
    return {
      apiVersion: 'meta.k8s.io/v1',
      kind: 'PartialObjectMetadata',
      metadata: (found as SeededObject).metadata,
    } as T;
  }

  async readText(request: KubernetesReadRequest): Promise<string> {
    this.requests.push({
      method: 'readText',
      cluster: request.cluster,
      path: request.path,
      query: request.query,
    });
    await this.delay(
      request.cluster,
      `${request.path}?${new URLSearchParams(
        request.query as Record<string, string>,
      )}`,
    );
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(
      request.path,
    );
    if (!m) throw new InputError(`not a log path: ${request.path}`);
    const q = request.query ?? {};
    const previous = q.previous === true || q.previous === 'true';
    const log = this.cluster(request.cluster).logs.find(
      l =>
        l.namespace === m[1] &&
        l.pod === m[2] &&
        l.container === q.container &&
        l.previous === previous,
    );
    if (!log) {
      throw new InputError(
        `container "${q.container}" in pod "${m[2]}" has no ${
          previous ? 'previous ' : ''
        }log`,
      );
    }
    const tail = Number(q.tailLines ?? log.lines.length);
    const text = log.lines
      .slice(-tail)
      .map(l => `${l}\n`)
      .join('');
    const limit = Number(q.limitBytes ?? Infinity);
    return Buffer.byteLength(text) > limit
      ? Buffer.from(text).subarray(0, limit).toString()
      : text;
  }

  private cluster(name: string): FakeCluster {
    const c = this.clusters.find(x => x.name === name);
    if (!c) throw new ServiceUnavailableError(`no cluster ${name}`);
    return c;
  }

  private lookup(request: KubernetesReadRequest): unknown {
    const c = this.cluster(request.cluster);
    const all = request.path.split('/').filter(Boolean);
    // /apis/<group>/<version>/… reads like /api/<version>/… from here on.
    const parts = all[0] === 'apis' ? all.slice(1) : all;
    // /api/v1/namespaces/<ns>/<plural>[/<name>] or /api/v1/<plural>/<name>
    let ns: string | undefined;
    let plural: string;
    let name: string | undefined;
    if (parts[2] === 'namespaces' && parts.length >= 5) {
      [ns, plural, name] = [parts[3], parts[4], parts[5]];
    } else {
      [plural, name] = [parts[2], parts[3]];
    }
    const kind = PLURALS[plural];
    if (!kind)
      throw new NotFoundError(`the server could not find ${request.path}`);
    let items = c.objects.filter(
      o => o.kind === kind && (ns === undefined || o.metadata.namespace === ns),
    );
    if (name) {
      const found = items.find(o => o.metadata.name === name);
      if (!found) throw new NotFoundError(`${plural} "${name}" not found`);
      return found;
    }
    const selector = String(
      (request.query as Record<string, unknown> | undefined)?.fieldSelector ??
        '',
    );
    const m = /^involvedObject\.kind=(\w+)$/.exec(selector);
    if (m) items = items.filter(o => o.involvedObject?.kind === m[1]);
    const byName = /^metadata\.name=(.+)$/.exec(selector);
    if (byName) items = items.filter(o => o.metadata.name === byName[1]);
    return { kind: `${kind}List`, items };
  }

  private async delay(cluster: string | undefined, path: string) {
    const timing: { started: number; finished?: number } = {
      started: performance.now(),
    };
    this.timings.push(timing);
    try {
      await this.faultFor(cluster, path);
    } finally {
      timing.finished = performance.now();
    }
  }

  private async faultFor(cluster: string | undefined, path: string) {
    const fault = this.faults.find(
      f => (!f.cluster || f.cluster === cluster) && f.path.test(path),
    );
    const ms = (fault?.delayMs ?? 0) + this.latencyMs;
    if (ms > 0) await new Promise(r => setTimeout(r, ms));
    if (fault?.error) throw fault.error;
  }
}
