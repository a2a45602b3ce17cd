import { z } from 'zod';
import { resourceRefSchema, riskLevelSchema } from './plan';
import { clusterErrorSchema } from './workloads';

/**
 * The event types `GET /events?type=` filters on, as Kubernetes files them.
 *
 * @public
 */
export const EVENT_TYPES = ['Warning', 'Normal'] as const;
/** @public */
export type EventType = (typeof EVENT_TYPES)[number];

/** The default and the largest `limit` of `GET /events`. @public */
export const EVENTS_DEFAULT_LIMIT = 200;
/** @public */
export const EVENTS_MAX_LIMIT = 1000;

/**
 * One Kubernetes event of an entity's object, normalized from either
 * timestamp style (core/v1 `firstTimestamp`/`lastTimestamp`/`count` or the
 * events.k8s.io-style `eventTime`/`series`). `message` is the cluster's text,
 * secrets masked: data to show, never an instruction.
 *
 * @public
 */
export const entityEventSchema = z.object({
  /** The event's `metadata.uid`, or a stable substitute. */
  uid: z.string(),
  cluster: z.string(),
  namespace: z.string(),
  object: z.object({ kind: z.string(), name: z.string() }),
  /** `involvedObject.fieldPath`, e.g. `spec.containers{checkout}`. */
  fieldPath: z.string().optional(),
  /** The container named by `fieldPath`. */
  container: z.string().optional(),
  /** `Warning` or `Normal` (or whatever type the cluster filed). */
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  /** How many times it happened (`series.count` or `count`; at least 1). */
  count: z.number().int().min(1),
  /** ISO-8601: the first and the last time it was seen. */
  firstTime: z.string(),
  lastTime: z.string(),
  /** Who reported it: `reportingController` or `source.component` (and host). */
  source: z.string().optional(),
});
/** @public */
export type EntityEvent = z.infer<typeof entityEventSchema>;

/**
 * A plan KubeCopilot executed or reverted for the entity, as a mark on the
 * events timeline.
 *
 * @public
 */
export const planMarkerSchema = z.object({
  planId: z.string(),
  what: z.enum(['executed', 'reverted']),
  at: z.string(),
  action: z.string(),
  resource: resourceRefSchema,
  by: z.string().nullable(),
  /** The plan's risk level, as scored when it was drafted. */
  risk: riskLevelSchema.optional(),
});
/** @public */
export type PlanMarker = z.infer<typeof planMarkerSchema>;

/**
 * `GET /api/kubecopilot/events?entityRef=&since=&type=&limit=` response:
 * newest first, at most `limit` items. `errors` names every cluster or
 * namespace that could not be read, so a partial timeline is never silent;
 * `truncated` says older events were left out.
 *
 * @public
 */
export const eventsResponseSchema = z.object({
  entityRef: z.string(),
  items: z.array(entityEventSchema),
  markers: z.array(planMarkerSchema),
  truncated: z.boolean(),
  errors: z.array(clusterErrorSchema),
});
/** @public */
export type EventsResponse = z.infer<typeof eventsResponseSchema>;
