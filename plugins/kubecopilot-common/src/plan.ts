import { z } from 'zod';

/**
 * Lifecycle states of an {@link OperationPlan}.
 *
 * `pending → confirmed → executing → executed | failed`, `executed → reverted`,
 * `pending → rejected | expired`. `executing` is the short window in which the
 * single write is in flight; it exists so a crashed backend can reconcile.
 *
 * @public
 */
export const planStatusSchema = z.enum([
  'pending',
  'confirmed',
  'executing',
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
  'succeeded',
  'failed',
  'skipped',
]);

/**
 * A step of a multi-step plan (canary rollouts): an action with its own diff
 * and risk, or a gate that evaluates a metric query against a threshold.
 *
 * @public
 */
export const planStepSchema = z.object({
  id: z.string(),
  type: z.enum(['action', 'gate', 'approval']),
  title: z.string(),
  action: planActionSchema.optional(),
  resource: resourceRefSchema.optional(),
  diff: planDiffSchema.optional(),
  risk: planRiskSchema.optional(),
  gate: z
    .object({
      query: z.string(),
      operator: z.enum(['<', '<=', '>', '>=']),
      threshold: z.number(),
    })
    .optional(),
  onFailure: z.enum(['rollback', 'abort']).optional(),
  status: planStepStatusSchema,
  result: z.string().optional(),
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
  /** `unknown` when the write timed out: the object was re-read and reported. */
  outcome: z.enum(['applied', 'failed', 'unknown']).optional(),
  message: z.string().optional(),
  /** Spec fields that changed since the snapshot, when drift aborted it. */
  drift: z.array(z.string()).optional(),
  /** resourceVersion of the object after the write. */
  resourceVersion: z.string().optional(),
});
/** @public */
export type PlanExecution = z.infer<typeof planExecutionSchema>;

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
  diff: planDiffSchema,
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
]);
/** @public */
export type CreatePlanRequest = z.infer<typeof createPlanRequestSchema>;
