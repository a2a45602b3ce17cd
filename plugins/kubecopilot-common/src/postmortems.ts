import { z } from 'zod';
import { auditVerificationSchema } from './audit';

/** Where a timeline entry comes from. @public */
export const postmortemSourceSchema = z.enum([
  'kubernetes',
  'finding',
  'alert',
  'diagnosis',
  'plan',
]);

/**
 * One dated fact of the incident, with what it cites (an event, a finding's
 * fingerprint, an alert, a diagnosis, an audit entry).
 *
 * @public
 */
export const postmortemTimelineEntrySchema = z.object({
  at: z.string(),
  source: postmortemSourceSchema,
  text: z.string(),
  /** `event:<uid>`, `finding:<fingerprint>`, `alert:<id>`, `diagnosis:<id>`, `audit:<id>`. */
  ref: z.string(),
});
/** @public */
export type PostmortemTimelineEntry = z.infer<
  typeof postmortemTimelineEntrySchema
>;

/**
 * A postmortem draft: made by rules and templates from what KubeCopilot
 * holds for the entity in the window, stored and versioned; people edit
 * its Markdown (each save is a new version).
 *
 * @public
 */
export const postmortemSchema = z.object({
  id: z.string(),
  version: z.number().int().min(1),
  entityRef: z.string(),
  from: z.string(),
  to: z.string(),
  title: z.string(),
  /** What was affected, how badly, for how long. */
  impact: z.string(),
  /** The probable cause, with the timeline refs it rests on. */
  probableCause: z.object({ text: z.string(), refs: z.array(z.string()) }),
  /** Plans executed or reverted in the window. */
  actionsTaken: z.array(z.string()),
  /** What is still open at the end of the window. */
  actionItems: z.array(z.string()),
  timeline: z.array(postmortemTimelineEntrySchema),
  /** The audit chain's verification when the draft was made. */
  auditVerification: auditVerificationSchema,
  /** What could not be read (a cluster, a source): the draft is partial. */
  errors: z.array(z.string()),
  /** The document people edit; the draft's Markdown in version 1. */
  markdown: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  /** Who saved this version (version 1: the creator). */
  updatedBy: z.string(),
  updatedAt: z.string(),
});
/** @public */
export type Postmortem = z.infer<typeof postmortemSchema>;

/** `POST /postmortems`. @public */
export const createPostmortemRequestSchema = z
  .object({
    entityRef: z.string().min(1).max(512),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
  })
  .strict();
/** @public */
export type CreatePostmortemRequest = z.infer<
  typeof createPostmortemRequestSchema
>;

/** `PUT /postmortems/:id`: a new version of the document. @public */
export const updatePostmortemRequestSchema = z
  .object({
    markdown: z.string().min(1).max(200_000),
    /** The version edited; a 409 when someone saved another meanwhile. */
    baseVersion: z.number().int().min(1),
  })
  .strict();
/** @public */
export type UpdatePostmortemRequest = z.infer<
  typeof updatePostmortemRequestSchema
>;

/** `GET /postmortems?entityRef=`: latest versions, newest first. @public */
export const postmortemListResponseSchema = z.object({
  items: z.array(postmortemSchema),
});
