import { z } from 'zod';
import { MAX_MANIFEST_LENGTH, resourceRefSchema } from './plan';

/**
 * The workload kinds the YAML copilot shows and checks.
 *
 * @public
 */
export const MANIFEST_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'CronJob',
  'Job',
] as const;

/** @public */
export const manifestCheckSeveritySchema = z.enum(['error', 'warning', 'info']);
/** @public */
export type ManifestCheckSeverity = z.infer<typeof manifestCheckSeveritySchema>;

/**
 * One best-practice finding about a workload manifest.
 *
 * @public
 */
export const manifestCheckSchema = z.object({
  /** Stable id, e.g. `resources-limits-missing`. */
  id: z.string(),
  severity: manifestCheckSeveritySchema,
  /** The field it points at, e.g. `spec.template.spec.containers[0].resources.limits.memory`. */
  path: z.string(),
  /** What is wrong and why it matters. */
  message: z.string(),
  /** What to do about it. */
  fix: z.string(),
  /** The well-known check it follows, e.g. `kube-score: container-resources`. */
  source: z.string(),
  /**
   * A value for a field a plan may change (resources, replicas) that fixes
   * it; set at `path`. Absent when the fix needs a choice only a person can make.
   */
  suggestion: z
    .object({
      path: z.string(),
      value: z.union([z.string(), z.number()]),
    })
    .optional(),
});
/** @public */
export type ManifestCheck = z.infer<typeof manifestCheckSchema>;

/**
 * A plain-words explanation of one important part of a manifest.
 *
 * @public
 */
export const manifestExplanationSchema = z.object({
  topic: z.enum([
    'workload',
    'resources',
    'probes',
    'rollout',
    'scaling',
    'schedule',
  ]),
  path: z.string(),
  text: z.string(),
});
/** @public */
export type ManifestExplanation = z.infer<typeof manifestExplanationSchema>;

/**
 * `POST /api/kubecopilot/yaml/check` body: the live object of one of the
 * entity's workloads, or an edited manifest (YAML text) of it.
 *
 * @public
 */
export const manifestCheckRequestSchema = z
  .object({
    entityRef: z.string().min(1).max(512),
    resource: z
      .object({
        cluster: z.string().min(1).max(253).optional(),
        kind: z.enum(MANIFEST_KINDS).optional(),
        namespace: z.string().min(1).max(253).optional(),
        name: z.string().min(1).max(253),
      })
      .strict(),
    manifest: z.string().min(1).max(MAX_MANIFEST_LENGTH).optional(),
  })
  .strict();
/** @public */
export type ManifestCheckRequest = z.infer<typeof manifestCheckRequestSchema>;

/** @public */
export const manifestCheckResponseSchema = z.object({
  resource: resourceRefSchema,
  checks: z.array(manifestCheckSchema),
  explanation: z.array(manifestExplanationSchema),
  /** Related objects that could not be read, so a check could not run. */
  warnings: z.array(z.string()),
  /** A model is configured: `POST /yaml/explain` may add its explanation. */
  modelCanExplain: z.boolean().optional(),
});
/** @public */
export type ManifestCheckResponse = z.infer<typeof manifestCheckResponseSchema>;

/**
 * One point of the model's explanation of a manifest: a field that exists
 * in it and what a reviewer would say about it.
 *
 * @public
 */
export const manifestModelPointSchema = z.object({
  path: z.string(),
  text: z.string(),
});
/** @public */
export type ManifestModelPoint = z.infer<typeof manifestModelPointSchema>;

/**
 * `POST /api/kubecopilot/yaml/explain` response (body as `/yaml/check`): the
 * model's points that passed validation and grounding, or why there are none.
 *
 * @public
 */
export const manifestModelExplanationSchema = z.union([
  z.object({
    ok: z.literal(true),
    resource: resourceRefSchema,
    points: z.array(manifestModelPointSchema),
    model: z.string(),
    promptVersion: z.string(),
    /** Points left out because they cited a field or value not in the manifest. */
    dropped: z.array(z.string()),
  }),
  z.object({
    ok: z.literal(false),
    resource: resourceRefSchema,
    /** Why the model's explanation is not shown (not configured, timeout, ungrounded …). */
    reason: z.string(),
  }),
]);
/** @public */
export type ManifestModelExplanation = z.infer<
  typeof manifestModelExplanationSchema
>;

/**
 * One workload of an entity as the YAML view shows it: status, managed
 * fields and server-set metadata removed.
 *
 * @public
 */
export const workloadManifestSchema = z.object({
  resource: resourceRefSchema,
  manifest: z.string(),
});
/** @public */
export type WorkloadManifest = z.infer<typeof workloadManifestSchema>;

/** `GET /api/kubecopilot/yaml/manifests?entityRef=` response. @public */
export const workloadManifestsResponseSchema = z.object({
  entityRef: z.string(),
  items: z.array(workloadManifestSchema),
  errors: z.array(z.object({ cluster: z.string(), message: z.string() })),
});
/** @public */
export type WorkloadManifestsResponse = z.infer<
  typeof workloadManifestsResponseSchema
>;
