import { z } from 'zod';

/**
 * Lifecycle states of an {@link OperationPlan}.
 *
 * `pending → confirmed → executing → executed | failed`, `executed → reverted`,
 * `pending → rejected | expired`. `executing` is the short window in which the
 * single write is in flight; it exists so a crashed backend can reconcile.
 * A multi-step plan (canary) stays `executing` while its steps run and is
 * `paused` while an approval step waits for someone to confirm promotion.
 *
 * @public
 */
export const planStatusSchema = z.enum([
  'pending',
  'confirmed',
  'executing',
  'paused',
  'executed',
  'failed',
  'reverted',
  'rejected',
  'expired',
]);
/** @public */
export type PlanStatus = z.infer<typeof planStatusSchema>;

/** @public */
export const planActionSchema = z.enum([
  'create',
  'update',
  'delete',
  'scale',
  'restart',
  'canary',
  'rollback',
  'blue-green',
]);
/** @public */
export type PlanAction = z.infer<typeof planActionSchema>;

/** @public */
export const riskLevelSchema = z.enum(['low', 'medium', 'high']);
/** @public */
export type RiskLevel = z.infer<typeof riskLevelSchema>;

/**
 * The Kubernetes object a plan (or a step of it) acts on.
 *
 * @public
 */
export const resourceRefSchema = z.object({
  cluster: z.string().min(1),
  kind: z.string().min(1),
  namespace: z.string().min(1).optional(),
  name: z.string().min(1),
});
/** @public */
export type ResourceRef = z.infer<typeof resourceRefSchema>;

/**
 * One named rule of the risk engine that fired for a plan.
 *
 * @public
 */
export const riskReasonSchema = z.object({
  rule: z.string(),
  level: riskLevelSchema.optional(),
  /** A warning raises no level but must be read by the approver. */
  warning: z.boolean().optional(),
  message: z.string(),
});
/** @public */
export type RiskReason = z.infer<typeof riskReasonSchema>;

/** @public */
export const planRiskSchema = z.object({
  level: riskLevelSchema,
  /** Human-readable summary naming every rule that fired. */
  rationale: z.string(),
  reasons: z.array(riskReasonSchema).default([]),
});
/** @public */
export type PlanRisk = z.infer<typeof planRiskSchema>;

/** @public */
export const planDiffSchema = z.object({
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
/** @public */
export type PlanDiff = z.infer<typeof planDiffSchema>;

/** @public */
export const planApprovalSchema = z.object({
  by: z.string(),
  decision: z.enum(['approved', 'rejected']),
  comment: z.string().optional(),
  at: z.string(),
});
/** @public */
export type PlanApproval = z.infer<typeof planApprovalSchema>;

/**
 * Who did what and when. Timestamps are ISO-8601 strings (UTC, millisecond
 * precision) so the contract survives JSON unchanged.
 *
 * @public
 */
export const planAuditSchema = z.object({
  requestedBy: z.string(),
  confirmedBy: z.string().nullable(),
  executedBy: z.string().nullable(),
  timestamps: z.object({
    createdAt: z.string(),
    confirmedAt: z.string().nullable(),
    executedAt: z.string().nullable(),
    failedAt: z.string().nullable(),
    revertedAt: z.string().nullable(),
    rejectedAt: z.string().nullable().optional(),
    expiredAt: z.string().nullable().optional(),
  }),
});
/** @public */
export type PlanAudit = z.infer<typeof planAuditSchema>;

/** @public */
export const planStepStatusSchema = z.enum([
  'pending',
  'running',
  /** An approval step waiting for someone to confirm. */
  'waiting',
  'succeeded',
  'failed',
  'skipped',
]);
/** @public */
export type PlanStepStatus = z.infer<typeof planStepStatusSchema>;

/**
 * A metric check between steps: a PromQL instant query (fully expanded, so
 * the approver reads exactly what will run) compared to a threshold. The
 * check passes when the value `operator threshold` holds, e.g. error rate
 * `<` 0.01. It is sampled `samples` times, `intervalSeconds` apart, after
 * `delaySeconds`; one failing sample fails the gate, a sample without data
 * is inconclusive, and a gate with no conclusive sample fails.
 *
 * @public
 */
export const planGateSchema = z.object({
  /** What is measured, in words: "error rate", "p99 latency". */
  metric: z.string().min(1),
  query: z.string().min(1).max(4_000),
  operator: z.enum(['<', '<=', '>', '>=']),
  threshold: z.number(),
  /** How to show values: `ratio` as a percentage, `seconds` as ms. */
  unit: z.enum(['ratio', 'seconds', 'number']).default('number'),
  delaySeconds: z.number().int().min(0).max(3_600).default(0),
  intervalSeconds: z.number().int().min(1).max(3_600).default(10),
  samples: z.number().int().min(1).max(100).default(3),
});
/** @public */
export type PlanGate = z.infer<typeof planGateSchema>;

/** One evaluation of a gate's query; `value` is null when there was no data. @public */
export const gateMeasurementSchema = z.object({
  at: z.string(),
  value: z.number().nullable(),
  passed: z.boolean().nullable(),
});
/** @public */
export type GateMeasurement = z.infer<typeof gateMeasurementSchema>;

/**
 * A step of a multi-step plan (canary rollouts): an action with its own diff
 * and risk, a gate that evaluates a metric query against a threshold, or an
 * approval that pauses the plan until someone confirms. Steps of the
 * `rollback` phase only run when a gate fails, an approval is declined, or
 * the plan is reverted.
 *
 * @public
 */
export const planStepSchema = z.object({
  id: z.string(),
  type: z.enum(['action', 'gate', 'approval']),
  title: z.string(),
  phase: z.enum(['rollout', 'rollback']).default('rollout'),
  action: planActionSchema.optional(),
  resource: resourceRefSchema.optional(),
  /**
   * The typed parameters of an action step (e.g. the image a promotion
   * sets): the write is computed from these and the live object, never from
   * the (redacted) diff.
   */
  params: z.record(z.string(), z.unknown()).optional(),
  diff: planDiffSchema.optional(),
  risk: planRiskSchema.optional(),
  gate: planGateSchema.optional(),
  /** What a failed gate or a declined approval does; default rollback. */
  onFailure: z.enum(['rollback', 'abort']).optional(),
  /** A rollback step runs only when one of these rollout steps succeeded. */
  undoes: z.array(z.string()).optional(),
  status: planStepStatusSchema,
  /** What happened, in words (gate values, the write, who confirmed). */
  result: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** Who confirmed or declined an approval step. */
  by: z.string().optional(),
  measurements: z.array(gateMeasurementSchema).optional(),
  /** resourceVersion after an action step's write. */
  resourceVersion: z.string().optional(),
  /**
   * uid and metadata.generation of the object after the write: a later step
   * on the same object aborts as drift if someone else wrote it meanwhile.
   */
  uid: z.string().optional(),
  generation: z.number().optional(),
});
/** @public */
export type PlanStep = z.infer<typeof planStepSchema>;

/**
 * What happened when a plan (or its revert) was executed.
 *
 * @public
 */
export const planExecutionSchema = z.object({
  by: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  idempotencyKey: z.string().optional(),
  /** Server-side dry run (`dryRun=All`) before the write. */
  dryRun: z.enum(['passed', 'failed']).optional(),
  /**
   * `unknown` when the write timed out: the object was re-read and reported.
   * `rolled-back` when a multi-step plan failed a gate or was declined and
   * its rollback steps ran.
   */
  outcome: z.enum(['applied', 'failed', 'unknown', 'rolled-back']).optional(),
  /** Last sign of life of the backend running a multi-step plan. */
  heartbeatAt: z.string().optional(),
  message: z.string().optional(),
  /** Spec fields that changed since the snapshot, when drift aborted it. */
  drift: z.array(z.string()).optional(),
  /** resourceVersion of the object after the write. */
  resourceVersion: z.string().optional(),
});
/** @public */
export type PlanExecution = z.infer<typeof planExecutionSchema>;

/**
 * What the object looked like when the plan was made, unredacted but
 * reduced to a hash: the drift check compares the live object's spec with
 * it, so a change hidden by redaction in `diff.before` still counts.
 *
 * @public
 */
export const planSnapshotSchema = z.object({
  uid: z.string().optional(),
  generation: z.number().optional(),
  resourceVersion: z.string().optional(),
  /** SHA-256 of the canonical JSON of the object's spec (or body for kinds without one). */
  specSha256: z.string(),
});
/** @public */
export type PlanSnapshot = z.infer<typeof planSnapshotSchema>;

/**
 * How a plan reached KubeCopilot when not from the portal: drafted by an AI
 * agent through Backstage's actions registry, for the person whose
 * credentials it used (`audit.requestedBy`). An agent only drafts: the plan
 * waits for a person's decision like any other.
 *
 * @public
 */
export const planRequestedViaSchema = z.object({
  /** `mcp`: the MCP actions plugin invoked the action; `actions`: another caller of the registry. */
  channel: z.enum(['mcp', 'actions']),
  /** The Backstage plugin that invoked the action for the requester, as its token says (`plugin:mcp-actions`). */
  invokedBy: z.string().optional(),
  /** The client's name as the agent stated it (e.g. `Claude Code`); not verified. */
  client: z.string().optional(),
  /** The agent's reasons in its own words: untrusted text, shown as such, never acted on. */
  rationale: z.string().optional(),
});
/** @public */
export type PlanRequestedVia = z.infer<typeof planRequestedViaSchema>;

/**
 * The core contract between AI and Kubernetes: every write is one of these.
 *
 * @public
 */
export const operationPlanSchema = z.object({
  id: z.string(),
  entityRef: z.string(),
  /** The entity's owner (from the catalog) when the plan was made. */
  ownerRef: z.string().optional(),
  status: planStatusSchema,
  action: planActionSchema,
  resource: resourceRefSchema,
  /** Action parameters, e.g. `{ replicas: 5 }` for scale. */
  params: z.record(z.string(), z.unknown()).default({}),
  /** The words the plan was made from, if any. */
  intent: z.string().optional(),
  /** Drafted by an AI agent (over MCP) for `audit.requestedBy`; absent for the portal and the HTTP API. */
  requestedVia: planRequestedViaSchema.optional(),
  diff: planDiffSchema,
  /** The unredacted `diff.before`, as a hash, for the drift check. */
  snapshot: planSnapshotSchema.optional(),
  risk: planRiskSchema,
  aiRationale: z.string(),
  /** `rules` when the deterministic parser made the plan, else the model. */
  rationaleSource: z.enum(['rules', 'llm']).default('rules'),
  model: z.string().optional(),
  promptVersion: z.string().optional(),
  audit: planAuditSchema,
  approvals: z.array(planApprovalSchema).default([]),
  /** Risk levels at or above which the requester may not approve. */
  requiresSecondApprover: z.boolean().default(false),
  steps: z.array(planStepSchema).optional(),
  /** Why the plan failed, or what drifted. */
  error: z.string().optional(),
  execution: planExecutionSchema.optional(),
  revert: planExecutionSchema.optional(),
  /** This plan undoes plan `revertOf` (a revert that needed its own approval). */
  revertOf: z.string().optional(),
  /** The pending plan that will undo this one, when its revert needed approval. */
  revertPlanId: z.string().optional(),
  revision: z.number().int().nonnegative().default(0),
});
/** @public */
export type OperationPlan = z.infer<typeof operationPlanSchema>;

/**
 * `GET /api/kubecopilot/plans` response: plans newest first; pass
 * `nextCursor` as `cursor` to fetch the next page (absent on the last page).
 *
 * @public
 */
export const planListResponseSchema = z.object({
  items: z.array(operationPlanSchema),
  nextCursor: z.string().optional(),
});
/** @public */
export type PlanListResponse = z.infer<typeof planListResponseSchema>;

/** Longest intent or question accepted, in characters. @public */
export const MAX_INTENT_LENGTH = 500;

const targetName = z.string().min(1).max(253);

/** Longest manifest (YAML text) the API accepts, in characters. @public */
export const MAX_MANIFEST_LENGTH = 60_000;

/**
 * `POST /api/kubecopilot/plans` body: free words, or a structured action
 * (e.g. from a diagnosis recommendation).
 *
 * @public
 */
export const createPlanRequestSchema = z.union([
  z
    .object({
      entityRef: z.string().min(1).max(512),
      intent: z
        .string()
        .trim()
        .min(1, 'intent must not be empty')
        .max(
          MAX_INTENT_LENGTH,
          `intent must be at most ${MAX_INTENT_LENGTH} characters`,
        ),
    })
    .strict(),
  z
    .object({
      entityRef: z.string().min(1).max(512),
      action: planActionSchema,
      resource: z
        .object({
          cluster: targetName.optional(),
          kind: z.string().min(1).max(63).optional(),
          namespace: targetName.optional(),
          name: targetName,
        })
        .strict(),
      params: z.record(z.string(), z.unknown()).optional(),
      rationale: z.string().max(2_000).optional(),
    })
    .strict(),
  // An edited manifest (YAML text) of one of the entity's workloads: an
  // update plan of exactly the fields that changed, if all are whitelisted.
  z
    .object({
      entityRef: z.string().min(1).max(512),
      resource: z
        .object({
          cluster: targetName.optional(),
          kind: z.string().min(1).max(63).optional(),
          namespace: targetName.optional(),
          name: targetName,
        })
        .strict(),
      manifest: z
        .string()
        .min(1, 'manifest must not be empty')
        .max(
          MAX_MANIFEST_LENGTH,
          `manifest must be at most ${MAX_MANIFEST_LENGTH} characters`,
        ),
    })
    .strict(),
]);
/** @public */
export type CreatePlanRequest = z.infer<typeof createPlanRequestSchema>;

/** Most traffic steps a canary plan may have. @public */
export const MAX_CANARY_STEPS = 10;

/**
 * `POST /api/kubecopilot/plans/canary` body (also the scaffolder action's
 * input): roll a new image out to a Deployment through a canary Deployment,
 * step by step, gated on SLIs from Prometheus.
 *
 * @public
 */
export const createCanaryPlanRequestSchema = z
  .object({
    entityRef: z.string().min(1).max(512),
    /** The stable Deployment; cluster and namespace may be left out when the entity has one match. */
    target: z
      .object({
        cluster: targetName.optional(),
        namespace: targetName.optional(),
        name: targetName,
      })
      .strict(),
    /** A full image reference, or just a tag (`v2`) for the current image's repository. */
    image: z
      .string()
      .trim()
      .min(1)
      .max(512)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/, 'image must be an image reference or a tag'),
    /** The container to update; default the Deployment's only (or first) container. */
    container: z.string().min(1).max(63).optional(),
    /** Share of pods on the new image at each step, in percent, increasing; 100 means promote. */
    steps: z
      .array(z.number().int().min(1).max(100))
      .min(1)
      .max(MAX_CANARY_STEPS)
      .refine(
        s => s.every((w, i) => i === 0 || w > s[i - 1]),
        'steps must increase, e.g. [10, 50, 100]',
      )
      .default([10, 50, 100]),
    /** Roll back when the canary's error ratio (0–1) exceeds this. */
    maxErrorRate: z.number().min(0).max(1).optional(),
    /** Roll back when the canary's p99 latency in milliseconds exceeds this. */
    maxP99LatencyMs: z.number().positive().max(600_000).optional(),
    analysis: z
      .object({
        delaySeconds: z.number().int().min(0).max(3_600).optional(),
        intervalSeconds: z.number().int().min(1).max(3_600).optional(),
        samples: z.number().int().min(1).max(100).optional(),
        /** The PromQL range of the rates, e.g. `1m`, `30s`. */
        window: z
          .string()
          .regex(/^[1-9][0-9]{0,3}[smh]$/, 'window must look like 30s, 1m or 1h')
          .optional(),
      })
      .strict()
      .optional(),
    /** Pause for a person to confirm before promoting to 100%. */
    confirmPromotion: z.boolean().default(false),
    rationale: z.string().max(2_000).optional(),
  })
  .strict();
/** @public */
export type CreateCanaryPlanRequest = z.infer<typeof createCanaryPlanRequestSchema>;
