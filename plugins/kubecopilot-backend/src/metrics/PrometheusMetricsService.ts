import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import {
  MetricPanel,
  MetricPanelId,
  MetricSeries,
  MetricsRange,
  MetricsResponse,
  MetricUnit,
  WorkloadMetrics,
  WorkloadSummary,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { MetricsRangeClient, MetricsRangeSeries } from '../prometheus';
import {
  MetricQueryTemplates,
  renderMetricTemplate,
} from '../prometheus/metricQueries';
import { WorkloadsService } from '../workloads/types';

/** The kinds whose pods a chart can select by name. */
const CHARTED_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** At most this many workloads per entity are charted (12 queries each). */
export const MAX_CHARTED_WORKLOADS = 8;

/** Range → its length and a step that gives 240–360 points. */
export const RANGES: Record<MetricsRange, { seconds: number; step: number }> = {
  '1h': { seconds: 3600, step: 15 },
  '6h': { seconds: 6 * 3600, step: 60 },
  '24h': { seconds: 24 * 3600, step: 300 },
  '7d': { seconds: 7 * 24 * 3600, step: 1800 },
};

/** A `rate()` window that spans at least two steps and four 15 s scrapes. */
export function rateWindow(stepSeconds: number): string {
  return `${Math.max(60, stepSeconds * 2)}s`;
}

type Role = MetricSeries['role'];

interface PanelSpec {
  id: MetricPanelId;
  unit: MetricUnit;
  queries: { role: Role; template: keyof MetricQueryTemplates }[];
  kinds?: string[];
}

const PANELS: PanelSpec[] = [
  {
    id: 'cpu',
    unit: 'cores',
    queries: [
      { role: 'value', template: 'cpu' },
      { role: 'request', template: 'cpuRequests' },
      { role: 'limit', template: 'cpuLimits' },
    ],
  },
  {
    id: 'throttling',
    unit: 'ratio',
    queries: [{ role: 'value', template: 'throttling' }],
  },
  {
    id: 'memory',
    unit: 'bytes',
    queries: [
      { role: 'value', template: 'memory' },
      { role: 'request', template: 'memoryRequests' },
      { role: 'limit', template: 'memoryLimits' },
    ],
  },
  {
    id: 'restarts',
    unit: 'count',
    queries: [{ role: 'value', template: 'restarts' }],
  },
  {
    id: 'replicas',
    unit: 'count',
    queries: [{ role: 'value', template: 'replicas' }],
    kinds: ['Deployment'],
  },
  {
    id: 'requestRate',
    unit: 'rps',
    queries: [{ role: 'value', template: 'requestRate' }],
  },
  {
    id: 'errorRatio',
    unit: 'ratio',
    queries: [{ role: 'value', template: 'errorRatio' }],
  },
  {
    id: 'p99Latency',
    unit: 'seconds',
    queries: [{ role: 'value', template: 'p99Latency' }],
  },
];

function seriesName(
  panel: MetricPanelId,
  role: Role,
  labels: Record<string, string>,
): string {
  const label =
    labels.container ??
    (Object.entries(labels)
      .filter(([k]) => k !== '__name__')
      .map(([k, v]) => `${k}=${v}`)
      .join(',') ||
      panel);
  return role === 'value' ? label : `${role} (${label})`;
}

class Unreachable extends Error {}

/**
 * The entity's charts: its workloads (read as the user, so authorized like
 * `GET /workloads`), then one range query per chart line against the
 * Prometheus of each workload's cluster, all under one deadline. A cluster
 * without Prometheus, a Prometheus that does not answer and a workload with
 * no series each get their own state; a query Prometheus rejects marks its
 * chart only.
 */
export class PrometheusMetricsService {
  private readonly now: () => Date;

  constructor(
    private readonly deps: {
      workloads: WorkloadsService;
      client: MetricsRangeClient;
      config: { queries: MetricQueryTemplates; timeoutMs: number };
      logger?: LoggerService;
      now?: () => Date;
    },
  ) {
    this.now = deps.now ?? (() => new Date());
  }

  async getMetrics(
    entityRef: CompoundEntityRef,
    range: MetricsRange,
    options: { credentials: BackstageCredentials },
  ): Promise<MetricsResponse> {
    const found = await this.deps.workloads.getWorkloads(entityRef, options);
    const { seconds, step } = RANGES[range];
    // The last point is now: a just-started workload has data to show.
    const endMs = Math.floor(this.now().getTime() / 1000) * 1000;
    const window = {
      start: new Date(endMs - seconds * 1000),
      end: new Date(endMs),
      stepSeconds: step,
    };
    const deadline = AbortSignal.timeout(this.deps.config.timeoutMs);
    const charted = found.workloads
      .filter(w => CHARTED_KINDS.includes(w.kind))
      .slice(0, MAX_CHARTED_WORKLOADS);
    const workloads = await Promise.all(
      charted.map(w => this.workloadMetrics(w, window, deadline)),
    );
    return {
      entityRef: found.entityRef,
      range,
      start: window.start.toISOString(),
      end: window.end.toISOString(),
      stepSeconds: step,
      workloads,
      errors: found.errors,
    };
  }

  private async workloadMetrics(
    workload: WorkloadSummary,
    window: { start: Date; end: Date; stepSeconds: number },
    deadline: AbortSignal,
  ): Promise<WorkloadMetrics> {
    const { cluster, kind, namespace, name } = workload;
    const base = { cluster, kind, namespace, name };
    if (!this.deps.client.isConfigured(cluster)) {
      return {
        ...base,
        state: 'not-configured',
        message: `No Prometheus is configured for cluster '${cluster}' (kubecopilot.prometheus.baseUrl or kubecopilot.prometheus.clusters)`,
        panels: [],
      };
    }
    const params = {
      kind,
      namespace,
      name,
      window: rateWindow(window.stepSeconds),
    };
    const query = async (promql: string): Promise<MetricsRangeSeries[]> => {
      try {
        return await this.deps.client.queryRange(cluster, promql, window, {
          signal: deadline,
        });
      } catch (error) {
        if (deadline.aborted) {
          throw new Unreachable(
            `Prometheus for cluster '${cluster}' did not answer within ${this.deps.config.timeoutMs} ms`,
          );
        }
        if (isError(error) && error.name === 'ServiceUnavailableError') {
          throw new Unreachable(error.message);
        }
        throw error;
      }
    };
    try {
      const panels = await Promise.all(
        PANELS.filter(p => !p.kinds || p.kinds.includes(kind)).map(
          async (spec): Promise<MetricPanel> => {
            const queries = spec.queries.map(q => ({
              role: q.role,
              promql: renderMetricTemplate(
                this.deps.config.queries[q.template],
                params,
              ),
            }));
            try {
              const results = await Promise.all(
                queries.map(q => query(q.promql)),
              );
              return {
                id: spec.id,
                unit: spec.unit,
                queries,
                series: results.flatMap((result, i) =>
                  result
                    .filter(s => s.points.length > 0)
                    .map(s => ({
                      name: seriesName(spec.id, queries[i].role, s.labels),
                      role: queries[i].role,
                      points: s.points,
                    })),
                ),
              };
            } catch (error) {
              if (error instanceof Unreachable) throw error;
              return {
                id: spec.id,
                unit: spec.unit,
                queries,
                series: [],
                error: isError(error) ? error.message : String(error),
              };
            }
          },
        ),
      );
      const empty = panels.every(p => p.series.length === 0 && !p.error);
      return empty
        ? {
            ...base,
            state: 'no-series',
            message: `Prometheus has no series for ${kind} ${namespace}/${name} between ${window.start.toISOString()} and ${window.end.toISOString()}: is it scraped (cAdvisor, kube-state-metrics, the service's own metrics) under the names in kubecopilot.prometheus.metrics.queries?`,
            panels,
          }
        : { ...base, state: 'ok', panels };
    } catch (error) {
      if (!(error instanceof Unreachable)) throw error;
      this.deps.logger?.warn(
        `metrics for ${kind} ${namespace}/${name}: ${error.message}`,
      );
      return {
        ...base,
        state: 'unreachable',
        message: error.message,
        panels: [],
      };
    }
  }
}
