import type {
  CoreV1Event,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1EndpointSlice,
  V1Endpoints,
  V1Ingress,
  V1IngressClass,
  V1Job,
  V1NetworkPolicy,
  V1Node,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodDisruptionBudget,
  V1ReplicaSet,
  V1Service,
  V1StatefulSet,
  V1StorageClass,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';

/**
 * The log of one container as the gatherer read it (`pods/log` with
 * `tailLines`, and `previous=true` for the instance that crashed).
 */
export interface ContainerLog {
  namespace: string;
  pod: string;
  container: string;
  /** True for the log of the previous (terminated) instance of the container. */
  previous: boolean;
  lines: string[];
}

/**
 * A ConfigMap or Secret that a pod references and that a metadata-only
 * existence check (`as=PartialObjectMetadata`) found absent. Secrets are never
 * read for their data, so this is all the analyzers know about them.
 */
export interface MissingObject {
  kind: 'ConfigMap' | 'Secret';
  namespace: string;
  name: string;
}

/**
 * The key NAMES of a ConfigMap or Secret that a pod references by key
 * (`configMapKeyRef`/`secretKeyRef`). The gatherer keeps only the names:
 * a Secret's values never enter the context.
 */
export interface ObjectKeys {
  kind: 'ConfigMap' | 'Secret';
  namespace: string;
  name: string;
  keys: string[];
}

/**
 * Everything gathered from ONE cluster for one diagnosis, already redacted.
 * Lists hold objects as the API server returns them; timestamps may be ISO
 * strings (raw JSON) or `Date`s (typed client), and analyzers accept both.
 * A list the gatherer could not read is empty and named in the diagnosis
 * errors by the gatherer; analyzers never assume completeness beyond what a
 * rule needs (for example the service analyzer skips a Service whose
 * Endpoints/EndpointSlices were not gathered rather than guessing).
 */
export interface AnalysisContext {
  cluster: string;
  pods: V1Pod[];
  deployments: V1Deployment[];
  replicasets: V1ReplicaSet[];
  statefulsets: V1StatefulSet[];
  daemonsets: V1DaemonSet[];
  services: V1Service[];
  endpoints: V1Endpoints[];
  endpointslices: V1EndpointSlice[];
  ingresses: V1Ingress[];
  hpas: V2HorizontalPodAutoscaler[];
  pvcs: V1PersistentVolumeClaim[];
  nodes: V1Node[];
  jobs: V1Job[];
  cronjobs: V1CronJob[];
  /** core/v1 Events of the involved objects. */
  events: CoreV1Event[];
  logs: ContainerLog[];
  missing: MissingObject[];
  /** Key names of the ConfigMaps/Secrets referenced by key that exist. */
  objectKeys: ObjectKeys[];
  /**
   * The cluster's StorageClasses, when read (a Pending claim's cause);
   * undefined when unknown, so no rule guesses from an empty list.
   */
  storageclasses?: V1StorageClass[];
  /** The cluster's IngressClasses, when read; undefined when unknown. */
  ingressclasses?: V1IngressClass[];
  /**
   * The PodDisruptionBudgets covering the entity's pods, when read;
   * undefined when unknown (not read, or denied).
   */
  pdbs?: V1PodDisruptionBudget[];
  /**
   * Services named by the StatefulSets' spec.serviceName that the server
   * says do not exist (a metadata-only check); undefined when not checked.
   */
  missingServices?: Array<{ namespace: string; name: string }>;
  /**
   * The NetworkPolicies of the namespaces of the entity's Services that
   * select its pods, when read; undefined when unknown.
   */
  networkpolicies?: V1NetworkPolicy[];
  /**
   * Selector-less Services (not ExternalName) for which the server has
   * neither Endpoints nor EndpointSlices (both read): nothing backs them.
   * Undefined when unknown.
   */
  missingEndpoints?: Array<{ namespace: string; name: string }>;
  /**
   * When the context was read (ms since the epoch): "now" for rules that
   * tell the present from history. Defaults to the time of analysis.
   */
  now?: number;
}

/**
 * A rule-based analyzer for one resource kind. `analyze` is pure and
 * synchronous: everything it may look at is in the context, so the same
 * context always yields the same findings (and a test fixture is enough to
 * pin the behaviour down).
 */
export interface Analyzer {
  /** Recorded as `Finding.analyzer` and in error entries. */
  readonly name: string;
  /** The kinds whose objects this analyzer reports on. */
  readonly kinds: readonly string[];
  analyze(ctx: AnalysisContext): Finding[];
}

/** Fills the lists the caller did not gather with empty ones. */
export function createAnalysisContext(
  cluster: string,
  parts: Partial<Omit<AnalysisContext, 'cluster'>> = {},
): AnalysisContext {
  return {
    cluster,
    pods: parts.pods ?? [],
    deployments: parts.deployments ?? [],
    replicasets: parts.replicasets ?? [],
    statefulsets: parts.statefulsets ?? [],
    daemonsets: parts.daemonsets ?? [],
    services: parts.services ?? [],
    endpoints: parts.endpoints ?? [],
    endpointslices: parts.endpointslices ?? [],
    ingresses: parts.ingresses ?? [],
    hpas: parts.hpas ?? [],
    pvcs: parts.pvcs ?? [],
    nodes: parts.nodes ?? [],
    jobs: parts.jobs ?? [],
    cronjobs: parts.cronjobs ?? [],
    events: parts.events ?? [],
    logs: parts.logs ?? [],
    missing: parts.missing ?? [],
    objectKeys: parts.objectKeys ?? [],
    ...(parts.storageclasses ? { storageclasses: parts.storageclasses } : {}),
    ...(parts.ingressclasses ? { ingressclasses: parts.ingressclasses } : {}),
    ...(parts.pdbs ? { pdbs: parts.pdbs } : {}),
    ...(parts.missingServices
      ? { missingServices: parts.missingServices }
      : {}),
    ...(parts.networkpolicies
      ? { networkpolicies: parts.networkpolicies }
      : {}),
    ...(parts.missingEndpoints
      ? { missingEndpoints: parts.missingEndpoints }
      : {}),
    ...(parts.now !== undefined ? { now: parts.now } : {}),
  };
}
