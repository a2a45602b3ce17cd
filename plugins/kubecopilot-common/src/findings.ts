import { z } from 'zod';
import { findingSchema, objectRefSchema, severitySchema } from './diagnosis';

/**
 * Whether a kept finding still holds: `open` from the scan that first saw
 * it until the first complete scan that no longer does.
 *
 * @public
 */
export const findingStatusSchema = z.enum(['open', 'resolved']);
/** @public */
export type FindingStatus = z.infer<typeof findingStatusSchema>;

/**
 * A finding kept by the findings scan across scans, identified by its
 * fingerprint (code, cluster, resource kind/namespace/name, container).
 *
 * @public
 */
export const findingRecordSchema = z.object({
  /** SHA-256 (hex, first 32 digits) of the finding's identity; stable across scans. */
  fingerprint: z.string(),
  entityRef: z.string(),
  /** The entity's owner when the finding was last seen (`spec.owner` / `ownedBy`). */
  ownerRef: z.string().optional(),
  status: findingStatusSchema,
  severity: severitySchema,
  code: z.string(),
  /** One line: what is wrong with which object. */
  title: z.string(),
  cluster: z.string(),
  resource: objectRefSchema,
  container: z.string().optional(),
  /** The finding as the latest diagnosis that saw it reported it. */
  finding: findingSchema,
  /** The diagnosis (`GET /diagnoses`) that last saw it. */
  diagnosisId: z.string().optional(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  resolvedAt: z.string().optional(),
  /** When the owner was told; a finding is announced once while open. */
  notifiedAt: z.string().optional(),
  /** A pending draft plan made for it (`kubecopilot.findings.draftPlans`). */
  planId: z.string().optional(),
});
/** @public */
export type FindingRecord = z.infer<typeof findingRecordSchema>;

/** `GET /findings`. @public */
export const findingListResponseSchema = z.object({
  items: z.array(findingRecordSchema),
});
/** @public */
export type FindingListResponse = z.infer<typeof findingListResponseSchema>;
