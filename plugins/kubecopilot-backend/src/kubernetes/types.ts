import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';

/**
 * A Kubernetes object as JSON, as the API server returns it: the one shape
 * every part of the plugin reads, plans and writes.
 */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{
      kind: string;
      name: string;
      uid?: string;
      controller?: boolean;
    }>;
    managedFields?: Array<{ manager?: string; operation?: string }>;
    deletionTimestamp?: string;
    [key: string]: any;
  };
  spec?: any;
  status?: any;
  [key: string]: any;
};

/** A cluster as the Kubernetes backend lists it (`GET /clusters`). */
export interface KubernetesCluster {
  name: string;
  title?: string;
  dashboardUrl?: string;
  authProvider?: string;
}

/** Query parameters of a Kubernetes API request. */
export type KubernetesQuery = Record<
  string,
  string | number | boolean | undefined
>;

/** A read through the Kubernetes backend's proxy, made on behalf of a user. */
export interface KubernetesReadRequest {
  /** Cluster name, as configured for the Kubernetes plugin. */
  cluster: string;
  /** Kubernetes API path, e.g. `/apis/apps/v1/namespaces/shop/deployments/checkout`. */
  path: string;
  query?: KubernetesQuery;
  /** The user whose Kubernetes permissions apply. */
  credentials: BackstageCredentials;
  /**
   * Abandons the read, retries included, when the caller no longer waits
   * (e.g. its own deadline passed).
   */
  signal?: AbortSignal;
}

/** How a PATCH body is to be interpreted by the API server. */
export type KubernetesPatchType =
  | 'merge'
  | 'strategic-merge'
  | 'json'
  | 'apply';

/**
 * A write through the Kubernetes backend's proxy. Writes run with the
 * plugin's own service credentials: callers must have checked KubeCopilot's
 * own permissions first.
 */
export interface KubernetesWriteRequest {
  cluster: string;
  path: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Required for PATCH. */
  patchType?: KubernetesPatchType;
  /** Server-side dry run (`dryRun=All`): validated and admitted, not persisted. */
  dryRun?: boolean;
  /**
   * Precondition: the write fails with a ConflictError unless the object's
   * resourceVersion still equals this.
   */
  resourceVersion?: string;
  /** Defaults to `kubecopilot`; not sent for DELETE, which takes none. */
  fieldManager?: string;
  /** Server-side apply only: take over conflicting fields. */
  force?: boolean;
  query?: KubernetesQuery;
}

/**
 * Everything KubeCopilot does with Kubernetes goes through the Kubernetes
 * backend plugin, which owns cluster configuration, locators and auth.
 *
 * Every call has a deadline. Failures are `@backstage/errors`:
 * `NotFoundError` (404), `ConflictError` (409, with the Kubernetes Status
 * message), `NotAllowedError` (401/403), `InputError` (400/422) and
 * `ServiceUnavailableError` naming the cluster when it cannot be reached,
 * times out ({@link KubernetesTimeoutError}) or fails.
 */
export interface KubernetesBackendClient {
  /**
   * The entity's objects in every cluster (the kubernetes backend's
   * `POST /resources/workloads/query`), read on behalf of the user.
   */
  getObjectsByEntity(
    entityRef: string,
    options: { credentials: BackstageCredentials },
  ): Promise<ObjectsByEntityResponse>;

  listClusters(options: {
    credentials: BackstageCredentials;
  }): Promise<KubernetesCluster[]>;

  /** GET a JSON object or list. Retried on 429, 5xx and connection errors. */
  read<T = unknown>(request: KubernetesReadRequest): Promise<T>;

  /**
   * GET only metadata (`PartialObjectMetadata` / `PartialObjectMetadataList`):
   * cheap ownership and managedFields checks without specs or secrets.
   */
  readMetadata<T = unknown>(request: KubernetesReadRequest): Promise<T>;

  /** GET plain text, e.g. `pods/<name>/log`. */
  readText(request: KubernetesReadRequest): Promise<string>;

  /** A write. Never retried: a timeout leaves the outcome unknown. */
  write<T = unknown>(request: KubernetesWriteRequest): Promise<T>;
}
