import { z } from 'zod';

/**
 * One burn-rate window: how fast the error budget burns over it, in
 * multiples of the rate that spends exactly the budget in the SLO window.
 *
 * @public
 */
export const burnRateSchema = z.object({
  window: z.string(),
  /** null when there was no traffic in the window. */
  value: z.number().nullable(),
});

/**
 * A multi-window burn-rate alert (Google SRE workbook, chapter 5): it fires
 * when both the long and the short window burn at least `threshold` times
 * the sustainable rate.
 *
 * @public
 */
export const burnAlertSchema = z.object({
  name: z.enum(['fast-burn', 'slow-burn']),
  longWindow: z.string(),
  shortWindow: z.string(),
  threshold: z.number(),
  /** null when either window had no data. */
  firing: z.boolean().nullable(),
});

/**
 * `ok`: measured; `no-data`: Prometheus answered without traffic in the
 * window; `not-configured` / `unreachable`: no Prometheus to ask, or it did
 * not answer; `error`: Prometheus rejected the SLO's query.
 *
 * @public
 */
export const sloStateSchema = z.enum([
  'ok',
  'no-data',
  'not-configured',
  'unreachable',
  'error',
]);

/** @public */
export const sloStatusSchema = z.object({
  name: z.string(),
  displayName: z.string().optional(),
  description: z.string().optional(),
  target: z.number(),
  timeWindow: z.string(),
  cluster: z.string().optional(),
  state: sloStateSchema,
  message: z.string().optional(),
  /** Good events / all events over the time window. */
  sli: z.number().nullable(),
  /** 1 − (error ratio / error budget); ≤ 0 when the budget is spent. */
  errorBudgetRemaining: z.number().nullable(),
  burnRates: z.array(burnRateSchema),
  alerts: z.array(burnAlertSchema),
  /** The error-ratio PromQL per window, for the reader to check. */
  queries: z.array(z.object({ window: z.string(), promql: z.string() })),
});
/** @public */
export type SloStatus = z.infer<typeof sloStatusSchema>;

/**
 * `GET /api/kubecopilot/slos?entityRef=` response. `source` is where the
 * OpenSLO file was read from; `problems` says why (part of) it could not be
 * used, so an invalid file shows on the entity instead of failing.
 *
 * @public
 */
export const slosResponseSchema = z.object({
  entityRef: z.string(),
  /** False when the entity has no `kubecopilot.io/openslo` annotation. */
  declared: z.boolean(),
  source: z.string().optional(),
  slos: z.array(sloStatusSchema),
  problems: z.array(z.string()),
});
/** @public */
export type SlosResponse = z.infer<typeof slosResponseSchema>;

/**
 * The annotation that points at an entity's OpenSLO file, relative to its
 * source location (like TechDocs' `backstage.io/techdocs-ref`).
 *
 * @public
 */
export const OPENSLO_ANNOTATION = 'kubecopilot.io/openslo';
