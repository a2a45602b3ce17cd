import { z } from 'zod';
import { clusterErrorSchema } from './workloads';

/**
 * The time ranges `GET /metrics` charts.
 *
 * @public
 */
export const METRICS_RANGES = ['1h', '6h', '24h', '7d'] as const;
/** @public */
export type MetricsRange = (typeof METRICS_RANGES)[number];

/**
 * The charts of a workload, in the order they are shown.
 *
 * @public
 */
export const METRIC_PANEL_IDS = [
  'cpu',
  'throttling',
  'memory',
  'restarts',
  'replicas',
  'requestRate',
  'errorRatio',
  'p99Latency',
] as const;
/** @public */
export type MetricPanelId = (typeof METRIC_PANEL_IDS)[number];

/** @public */
export const metricUnitSchema = z.enum([
  'cores',
  'ratio',
  'bytes',
  'count',
  'rps',
  'seconds',
]);
/** @public */
export type MetricUnit = z.infer<typeof metricUnitSchema>;

/**
 * One line of a chart: measured usage, or a request or limit drawn as a line.
 *
 * @public
 */
export const metricSeriesSchema = z.object({
  /** e.g. the container name, or `limit (api)`. */
  name: z.string(),
  role: z.enum(['value', 'request', 'limit']),
  /** [unix ms, value] */
  points: z.array(z.tuple([z.number(), z.number()])),
});
/** @public */
export type MetricSeries = z.infer<typeof metricSeriesSchema>;

/** @public */
export const metricPanelSchema = z.object({
  id: z.enum(METRIC_PANEL_IDS),
  unit: metricUnitSchema,
  /** The PromQL that produced each series role, for the reader to check. */
  queries: z.array(z.object({ role: z.string(), promql: z.string() })),
  series: z.array(metricSeriesSchema),
  /** Why this chart could not be drawn (e.g. Prometheus rejected its query). */
  error: z.string().optional(),
});
/** @public */
export type MetricPanel = z.infer<typeof metricPanelSchema>;

/**
 * What came of a workload's queries: `ok`, `not-configured` (no Prometheus
 * for its cluster), `unreachable` (Prometheus did not answer), `no-series`
 * (Prometheus answered, with no data for this workload).
 *
 * @public
 */
export const metricsStateSchema = z.enum([
  'ok',
  'not-configured',
  'unreachable',
  'no-series',
]);
/** @public */
export type MetricsState = z.infer<typeof metricsStateSchema>;

/** @public */
export const workloadMetricsSchema = z.object({
  cluster: z.string(),
  kind: z.string(),
  namespace: z.string(),
  name: z.string(),
  state: metricsStateSchema,
  message: z.string().optional(),
  panels: z.array(metricPanelSchema),
});
/** @public */
export type WorkloadMetrics = z.infer<typeof workloadMetricsSchema>;

/**
 * `GET /api/kubecopilot/metrics?entityRef=&range=` response.
 *
 * @public
 */
export const metricsResponseSchema = z.object({
  entityRef: z.string(),
  range: z.enum(METRICS_RANGES),
  /** ISO timestamps of the charted window. */
  start: z.string(),
  end: z.string(),
  stepSeconds: z.number().positive(),
  workloads: z.array(workloadMetricsSchema),
  /** Clusters whose workloads could not be read. */
  errors: z.array(clusterErrorSchema),
});
/** @public */
export type MetricsResponse = z.infer<typeof metricsResponseSchema>;
