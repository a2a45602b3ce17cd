/** Public types of the demo cluster. */

/** A Kubernetes object as JSON (loosely typed on purpose: the server is schemaless). */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    finalizers?: string[];
    [key: string]: any;
  };
  [key: string]: any;
};

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/**
 * A fault injected into matching requests (for tests and benchmarks).
 *
 * `path` is matched against the request path without the query string: a string matches
 * exactly, or as a glob when it contains `*` (`*` = any characters, including `/`); a RegExp
 * is tested against path + query string. The first matching rule applies.
 */
export interface FaultRule {
  /** HTTP method to match (case-insensitive); any method when omitted. */
  method?: string;
  path: string | RegExp;
  /** Answer with this status and a Kubernetes `Status` body (e.g. 500, 429, 503). */
  status?: number;
  /** Sets the `Retry-After` header (and `details.retryAfterSeconds`); defaults to 1 for 429. */
  retryAfterSeconds?: number;
  /** Never answer (the request hangs until the client gives up or the server stops). */
  hang?: boolean;
  /** Destroy the connection without an answer. */
  dropConnection?: boolean;
  /** Extra latency for matching requests (the request is then served normally unless another effect is set). */
  latencyMs?: number;
  /**
   * Hold matching requests until this promise settles (after any `latencyMs`), then serve
   * them normally unless another effect is set. For tests that must order another event
   * between a request's arrival and its answer, without guessing a latency.
   */
  holdUntil?: Promise<unknown>;
  /** Apply this many times, then the rule removes itself. Unlimited when omitted. */
  times?: number;
  /** Message of the Status body. */
  message?: string;
}

export interface DemoClusterOptions {
  /** Port to listen on; 0 (default) picks a free port. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Scenario files or directories (all `*.yaml`/`*.yml` in them, sorted). */
  scenarios?: string[];
  /** Inline objects (Kubernetes objects, ContainerLog, ImageBehavior, Scenario docs), loaded after the scenario files. */
  objects?: object[];
  /** Bearer token clients must send; default `kubecopilot-demo-token`. */
  token?: string;
  /**
   * A second bearer token, standing for a signed-in user's own token (e.g. an
   * OIDC ID token the Kubernetes plugin forwards): accepted for GET and HEAD
   * only, every other method is 403 Forbidden. Absent = only `token` works.
   */
  userToken?: string;
  /** Latency added to every request, in milliseconds. */
  latencyMs?: number;
  /** Directory holding (or receiving) ca.crt, ca.key, server.crt, server.key. */
  certDir?: string;
  /** Faults active from the start. */
  faults?: FaultRule[];
  /** How long a new pod takes from ContainerCreating to its final state; default 1000 ms. */
  podStartupMs?: number;
  /** Maximum request body size in bytes; default 3 MiB like kube-apiserver. */
  maxBodyBytes?: number;
  /** Namespace of the kubeconfig context; default `shop` when that namespace exists, else none. */
  kubeconfigNamespace?: string;
  /** Called for each request after it was answered (method, path, status, ms). */
  onRequest?: (entry: RequestLogEntry) => void;
  /**
   * Port of the companion metrics exporter (plain HTTP `GET /metrics` on `host`, Prometheus
   * text format: simulated `http_requests_total` and `http_request_duration_seconds` of every
   * Running and Ready Deployment pod); 0 picks a free port; absent = no exporter.
   */
  metricsPort?: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  durationMs: number;
  userAgent?: string;
  /** Whose token the request carried: `token` (service), `userToken` (user), or none valid. */
  identity?: 'service' | 'user';
}

export interface DemoCluster {
  /** `https://127.0.0.1:PORT` */
  url: string;
  port: number;
  token: string;
  /** Base64 of the CA certificate PEM, as in kubeconfig `certificate-authority-data`. */
  caData: string;
  caPem: string;
  /** A kubeconfig (YAML) for this server. */
  kubeconfig(options?: { namespace?: string; contextName?: string }): string;
  /** Adds a fault; returns a function removing it. */
  injectFault(rule: FaultRule): () => void;
  clearFaults(): void;
  /** Direct, in-process access to the stored objects (no HTTP), e.g. for test assertions. */
  getObject(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined;
  listObjects(apiVersion: string, kind: string, namespace?: string): KubeObject[];
  /** `http://127.0.0.1:PORT/metrics` when started with `metricsPort`. */
  metricsUrl?: string;
  /** Port of the metrics exporter when started with `metricsPort`. */
  metricsPort?: number;
  /** The metrics exposition text now (the exporter's answer), computed in-process. */
  metricsText(): string;
  stop(): Promise<void>;
}
