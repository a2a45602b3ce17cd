import { z } from 'zod';

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
  errors: z.array(clusterErrorSchema),
});
/** @public */
export type WorkloadsResponse = z.infer<typeof workloadsResponseSchema>;
