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

/**
 * `GET /api/kubecopilot/audit`: one page, newest first.
 *
 * @public
 */
export const auditListResponseSchema = z.object({
  items: z.array(auditEntrySchema),
  /** Present when older entries follow: pass it back as `cursor`. */
  nextCursor: z.string().optional(),
});
/** @public */
export type AuditListResponse = z.infer<typeof auditListResponseSchema>;

/**
 * `GET /api/kubecopilot/audit/verify`: the chain recomputed and, when keys
 * are configured, every signed checkpoint of its head checked.
 *
 * @public
 */
export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  /** Entries whose hash and link verified. */
  checked: z.number(),
  /** The first entry whose hash or link does not verify. */
  firstBrokenId: z.number().optional(),
  reason: z.string().optional(),
  /** Everything verified and at least one signed checkpoint covers the chain. */
  signed: z.boolean().optional(),
  checkpoints: z
    .object({
      /** False without public keys: only the hash chain was checked. */
      configured: z.boolean(),
      checked: z.number(),
      lastSeq: z.number().optional(),
      lastSignedAt: z.string().optional(),
      lastHeadId: z.number().optional(),
      /** Entries no checkpoint signs yet: they could vanish unseen. */
      entriesAfterLastCheckpoint: z.number().optional(),
      /** The first checkpoint (by number) that does not verify. */
      firstBrokenCheckpointId: z.number().optional(),
      reason: z.string().optional(),
    })
    .optional(),
});
/** @public */
export type AuditVerification = z.infer<typeof auditVerificationSchema>;
