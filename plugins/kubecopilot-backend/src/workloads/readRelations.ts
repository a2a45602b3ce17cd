/**
 * What an entity's workloads refer to: the ConfigMaps and Secrets their pods
 * use (and whether each object and key exists), and which Services, TLS
 * Secrets and IngressClasses its Ingresses name. The Kubernetes plugin's
 * default object types hold neither Secrets nor IngressClasses, so the
 * missing pieces are read one by one through its proxy, on behalf of the
 * user, bounded in number and each with a deadline.
 *
 * A Secret a pod uses is read to learn its key names; its values are dropped
 * at once and never leave this module. A TLS Secret or an IngressClass is
 * checked by its metadata only.
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type {
  FetchResponse,
  ObjectsByEntityResponse,
} from '@backstage/plugin-kubernetes-common';
import type {
  ConfigReference,
  IngressSummary,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type {
  V1ConfigMap,
  V1Ingress,
  V1IngressBackend,
  V1Pod,
  V1PodTemplateSpec,
  V1Service,
} from '@kubernetes/client-node';
import type { KubeObject, KubernetesBackendClient } from '../kubernetes/types';
import { configReferencesOf, isImplicitReference } from './configReferences';

/** Reads per cluster and request, beyond which `exists` stays null. */
export const MAX_READS_PER_CLUSTER = 40;
const CONCURRENCY = 8;
const READ_TIMEOUT_MS = 5_000;

/** What a read learned: existence and key names, or why it is unknown. */
interface Lookup {
  exists: boolean | null;
  keys?: string[];
  ports?: Array<{ name?: string; port: number }>;
  message?: string;
}

export interface Relations {
  /** `cluster|kind|namespace|name` of a workload row → its references. */
  config: Map<string, ConfigReference[]>;
  ingresses: IngressSummary[];
}

export const workloadKey = (
  cluster: string,
  kind: string,
  namespace: string,
  name: string,
) => `${cluster}|${kind}|${namespace}|${name}`;

const resourcesOf = <T>(resources: FetchResponse[], type: string): T[] =>
  resources.filter(r => r.type === type).flatMap(r => r.resources as T[]);

const keysOf = (o: Record<string, unknown>) =>
  [
    ...new Set([
      ...Object.keys((o.data ?? {}) as object),
      ...Object.keys((o.binaryData ?? {}) as object),
      ...Object.keys((o.stringData ?? {}) as object),
    ]),
  ].sort();

/**
 * What is kept of an object read: that it exists, its key names (a Secret's
 * values are dropped here) and a Service's ports.
 */
const kept = (o: KubeObject): Lookup => ({
  exists: true,
  keys: keysOf(o),
  ports: ((o.spec?.ports ?? []) as Array<{ name?: string; port: number }>).map(
    p => ({ name: p.name, port: p.port }),
  ),
});

/** One reader per cluster: memoised, bounded, concurrency-limited reads. */
class ClusterReader {
  private readonly cache = new Map<string, Promise<Lookup>>();
  private started = 0;
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly kubernetes: KubernetesBackendClient,
    private readonly cluster: string,
    private readonly credentials: BackstageCredentials,
  ) {}

  /**
   * `existence`: metadata only (`PartialObjectMetadata`), for a TLS Secret
   * or an IngressClass whose content is not needed — a certificate's private
   * key is never read.
   */
  lookup(path: string, existence = false): Promise<Lookup> {
    const key = `${existence ? 'meta' : 'full'}:${path}`;
    const known = this.cache.get(key);
    if (known) return known;
    if (this.started >= MAX_READS_PER_CLUSTER) {
      return Promise.resolve({
        exists: null,
        message: `not checked: more than ${MAX_READS_PER_CLUSTER} references in one cluster`,
      });
    }
    this.started += 1;
    const request = {
      cluster: this.cluster,
      path,
      credentials: this.credentials,
      signal: AbortSignal.timeout(READ_TIMEOUT_MS),
    };
    const result = this.limit(() =>
      (existence
        ? this.kubernetes
            .readMetadata<KubeObject>(request)
            .then((): Lookup => ({ exists: true }))
        : this.kubernetes.read<KubeObject>(request).then(kept)
      ).then(
        found => found,
        (error: unknown): Lookup => {
          if (error instanceof NotFoundError) return { exists: false };
          if (error instanceof NotAllowedError) {
            return { exists: null, message: 'no permission to read it' };
          }
          return { exists: null, message: 'could not be read' };
        },
      ),
    );
    this.cache.set(key, result);
    return result;
  }

  private async limit<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= CONCURRENCY) {
      await new Promise<void>(resolve => this.queue.push(resolve));
    }
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.queue.shift()?.();
    }
  }
}

/** The pod specs that stand for each workload row (see summarize.ts). */
function podSpecsByWorkload(cluster: string, resources: FetchResponse[]) {
  const specs = new Map<string, { namespace: string; spec: V1Pod['spec'] }>();
  const withTemplate = (type: string, kind: string) => {
    for (const o of resourcesOf<{
      metadata?: KubeObject['metadata'];
      spec?: { template?: V1PodTemplateSpec };
    }>(resources, type)) {
      const ns = o.metadata?.namespace ?? '';
      const owned = (o.metadata?.ownerReferences ?? []).some(
        r => r.controller && r.kind === 'Deployment',
      );
      if (kind === 'ReplicaSet' && owned) continue;
      specs.set(workloadKey(cluster, kind, ns, o.metadata?.name ?? ''), {
        namespace: ns,
        spec: o.spec?.template?.spec,
      });
    }
  };
  withTemplate('deployments', 'Deployment');
  withTemplate('statefulsets', 'StatefulSet');
  withTemplate('daemonsets', 'DaemonSet');
  withTemplate('jobs', 'Job');
  withTemplate('replicasets', 'ReplicaSet');
  for (const pod of resourcesOf<V1Pod>(resources, 'pods')) {
    if ((pod.metadata?.ownerReferences ?? []).length > 0) continue;
    const ns = pod.metadata?.namespace ?? '';
    specs.set(workloadKey(cluster, 'Pod', ns, pod.metadata?.name ?? ''), {
      namespace: ns,
      spec: pod.spec,
    });
  }
  return specs;
}

async function configOf(
  reader: ClusterReader,
  namespace: string,
  spec: V1Pod['spec'],
  listed: Map<string, V1ConfigMap>,
): Promise<ConfigReference[]> {
  const refs = configReferencesOf(spec).filter(r => !isImplicitReference(r));
  return Promise.all(
    refs.map(async ref => {
      const plural = ref.kind === 'Secret' ? 'secrets' : 'configmaps';
      const path = `/api/v1/namespaces/${namespace}/${plural}/${ref.name}`;
      const cm =
        ref.kind === 'ConfigMap'
          ? listed.get(`${namespace}/${ref.name}`)
          : undefined;
      const found: Lookup = cm
        ? { exists: true, keys: keysOf({ ...cm }) }
        : await reader.lookup(path);
      // A key of a missing object is missing; of an unread one, unknown.
      const keyExists = (name: string) =>
        found.keys ? found.keys.includes(name) : found.exists && null;
      const keys = ref.keys.map(name => ({ name, exists: keyExists(name) }));
      return {
        ...ref,
        exists: found.exists,
        keys,
        ...(found.keys ? { objectKeys: found.keys } : {}),
        ...(found.message ? { message: found.message } : {}),
      };
    }),
  );
}

async function ingressOf(
  reader: ClusterReader,
  cluster: string,
  ingress: V1Ingress,
  listed: Map<string, V1Service>,
): Promise<IngressSummary> {
  const ns = ingress.metadata?.namespace ?? '';
  const annotated =
    ingress.metadata?.annotations?.['kubernetes.io/ingress.class'];
  const className = ingress.spec?.ingressClassName ?? annotated;
  const classExists = ingress.spec?.ingressClassName
    ? (
        await reader.lookup(
          `/apis/networking.k8s.io/v1/ingressclasses/${ingress.spec.ingressClassName}`,
          true,
        )
      ).exists
    : null;
  const backends: Array<{
    host?: string;
    path?: string;
    backend: V1IngressBackend;
  }> = [
    ...(ingress.spec?.defaultBackend
      ? [{ backend: ingress.spec.defaultBackend }]
      : []),
    ...(ingress.spec?.rules ?? []).flatMap(rule =>
      (rule.http?.paths ?? []).map(p => ({
        host: rule.host,
        path: p.path,
        backend: p.backend,
      })),
    ),
  ];
  const routes = await Promise.all(
    backends
      .filter(b => b.backend.service?.name)
      .map(async ({ host, path, backend }) => {
        const service = backend.service!;
        const svc = listed.get(`${ns}/${service.name}`);
        const found: Lookup = svc
          ? {
              exists: true,
              ports: (svc.spec?.ports ?? []).map(p => ({
                name: p.name,
                port: p.port,
              })),
            }
          : await reader.lookup(
              `/api/v1/namespaces/${ns}/services/${service.name}`,
            );
        const port =
          service.port?.number !== undefined
            ? String(service.port.number)
            : service.port?.name;
        const portExists =
          found.ports && port !== undefined
            ? found.ports.some(p => String(p.port) === port || p.name === port)
            : null;
        return {
          ...(host ? { host } : {}),
          ...(path ? { path } : {}),
          service: service.name,
          ...(port !== undefined ? { port } : {}),
          serviceExists: found.exists,
          portExists: found.exists === false ? false : portExists,
        };
      }),
  );
  const tls = await Promise.all(
    (ingress.spec?.tls ?? [])
      .filter(t => t.secretName)
      .map(async t => ({
        secretName: t.secretName!,
        hosts: t.hosts ?? [],
        // Existence only: metadata is read, never the certificate and key.
        exists: (
          await reader.lookup(
            `/api/v1/namespaces/${ns}/secrets/${t.secretName}`,
            true,
          )
        ).exists,
      })),
  );
  return {
    cluster,
    namespace: ns,
    name: ingress.metadata?.name ?? '',
    ...(className ? { className } : {}),
    classExists,
    routes,
    tls,
  };
}

export async function readRelations(options: {
  objects: ObjectsByEntityResponse;
  kubernetes: KubernetesBackendClient;
  credentials: BackstageCredentials;
}): Promise<Relations> {
  const config = new Map<string, ConfigReference[]>();
  const ingresses: IngressSummary[] = [];
  await Promise.all(
    options.objects.items.map(async item => {
      const cluster = item.cluster.name;
      const reader = new ClusterReader(
        options.kubernetes,
        cluster,
        options.credentials,
      );
      const configMaps = new Map(
        resourcesOf<V1ConfigMap>(item.resources, 'configmaps').map(c => [
          `${c.metadata?.namespace}/${c.metadata?.name}`,
          c,
        ]),
      );
      const services = new Map(
        resourcesOf<V1Service>(item.resources, 'services').map(s => [
          `${s.metadata?.namespace}/${s.metadata?.name}`,
          s,
        ]),
      );
      const specs = podSpecsByWorkload(cluster, item.resources);
      await Promise.all([
        ...[...specs].map(async ([key, { namespace, spec }]) => {
          config.set(key, await configOf(reader, namespace, spec, configMaps));
        }),
        ...resourcesOf<V1Ingress>(item.resources, 'ingresses').map(async i => {
          ingresses.push(await ingressOf(reader, cluster, i, services));
        }),
      ]);
    }),
  );
  ingresses.sort(
    (a, b) =>
      a.cluster.localeCompare(b.cluster) ||
      a.namespace.localeCompare(b.namespace) ||
      a.name.localeCompare(b.name),
  );
  return { config, ingresses };
}
