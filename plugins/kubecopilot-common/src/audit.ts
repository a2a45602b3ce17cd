import { z } from 'zod';

/**
 * One entry of the append-only, hash-chained audit log
 * (`GET /api/kubecopilot/audit`). Objects appear only as hashes.
 *
 * @public
 */
export const auditEntrySchema = z.object({
  id: z.number(),
  planId: z.string().optional(),
  entityRef: z.string(),
  actor: z.string(),
  /** `plan.created`, `plan.approved`, `plan.executed`, `diagnosis.created`, … */
  action: z.string(),
  beforeHash: z.string().optional(),
  afterHash: z.string().optional(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});
/** @public */
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** @public */
export const auditListResponseSchema = z.object({
  items: z.array(auditEntrySchema),
});

/**
 * `GET /api/kubecopilot/audit/verify`: the chain recomputed.
 *
 * @public
 */
export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  checked: z.number(),
  firstBrokenId: z.number().optional(),
  reason: z.string().optional(),
});
/** @public */
export type AuditVerification = z.infer<typeof auditVerificationSchema>;
