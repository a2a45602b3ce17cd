import { z } from 'zod';

/**
 * A ConfigMap or Secret a workload's pods use, and whether it (and each key
 * they name) exists. Secrets appear by name and key names only: values never
 * leave the backend, not even masked. `exists: null` means it could not be
 * told (no permission, a timeout, or past the per-request read bound).
 *
 * @public
 */
export const configReferenceSchema = z.object({
  kind: z.enum(['ConfigMap', 'Secret']),
  name: z.string(),
  /** How the pods use it. */
  via: z.array(
    z.enum(['env', 'envFrom', 'volume', 'projected', 'imagePullSecret']),
  ),
  /** The containers (init containers included) that use it. */
  containers: z.array(z.string()),
  /** Every use is marked `optional`: a missing object is then no error. */
  optional: z.boolean(),
  exists: z.boolean().nullable(),
  /** The keys the pods name (`configMapKeyRef`, `secretKeyRef`, volume items). */
  keys: z.array(z.object({ name: z.string(), exists: z.boolean().nullable() })),
  /** The key names the object holds (never values); absent when unread. */
  objectKeys: z.array(z.string()).optional(),
  /** Why `exists` is null. */
  message: z.string().optional(),
});
/** @public */
export type ConfigReference = z.infer<typeof configReferenceSchema>;

/**
 * An Ingress of the entity: which Services it routes to, and whether they,
 * its TLS Secrets and its IngressClass exist.
 *
 * @public
 */
export const ingressSummarySchema = z.object({
  cluster: z.string(),
  namespace: z.string(),
  name: z.string(),
  /** `spec.ingressClassName`, or the legacy `kubernetes.io/ingress.class` annotation. */
  className: z.string().optional(),
  /** null: no class named (the cluster default applies), an annotation, or unreadable. */
  classExists: z.boolean().nullable(),
  routes: z.array(
    z.object({
      host: z.string().optional(),
      path: z.string().optional(),
      service: z.string(),
      /** Port number or name. */
      port: z.string().optional(),
      serviceExists: z.boolean().nullable(),
      /** The Service has that port. */
      portExists: z.boolean().nullable(),
    }),
  ),
  tls: z.array(
    z.object({
      secretName: z.string(),
      hosts: z.array(z.string()),
      exists: z.boolean().nullable(),
    }),
  ),
});
/** @public */
export type IngressSummary = z.infer<typeof ingressSummarySchema>;

/**
 * One workload-level object of an entity, as the "AI Diagnose" tab lists it.
 *
 * @public
 */
export const workloadSummarySchema = z.object({
  cluster: z.string(),
  kind: z.string(),
  namespace: z.string(),
  name: z.string(),
  /** Ready replicas (pods: ready containers). */
  ready: z.number().int().nonnegative(),
  /** Desired replicas (pods: containers). */
  desired: z.number().int().nonnegative(),
  /** Pod phase → count, for the pods this workload owns. */
  podPhases: z.record(z.string(), z.number().int().nonnegative()),
  /** Sum of container restarts over the owned pods. */
  restarts: z.number().int().nonnegative(),
  /** Waiting/terminated reasons seen on the pods (CrashLoopBackOff, …). */
  reasons: z.array(z.string()),
  images: z.array(z.string()),
  /** The ConfigMaps and Secrets its pod template (or pod) uses. */
  config: z.array(configReferenceSchema).optional(),
});
/** @public */
export type WorkloadSummary = z.infer<typeof workloadSummarySchema>;

/** @public */
export const clusterErrorSchema = z.object({
  cluster: z.string(),
  message: z.string(),
});
/** @public */
export type ClusterError = z.infer<typeof clusterErrorSchema>;

/**
 * `GET /api/kubecopilot/workloads?entityRef=` response. `errors` names every
 * cluster that could not be read, so a partial result is never silent.
 *
 * @public
 */
export const workloadsResponseSchema = z.object({
  entityRef: z.string(),
  clusters: z.array(z.string()),
  workloads: z.array(workloadSummarySchema),
  /** The entity's Ingresses and what they route to. */
  ingresses: z.array(ingressSummarySchema).optional(),
  errors: z.array(clusterErrorSchema),
});
/** @public */
export type WorkloadsResponse = z.infer<typeof workloadsResponseSchema>;
