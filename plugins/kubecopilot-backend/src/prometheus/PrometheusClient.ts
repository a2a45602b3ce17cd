import { Config } from '@backstage/config';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { z } from 'zod';
import {
  PrometheusConfig,
  PrometheusTarget,
  readPrometheusConfig,
} from './config';

/** The answer of an instant query reduced to one number. */
export interface MetricsQueryResult {
  /** null when there is no data: an empty vector, NaN or ±Inf. */
  value: number | null;
  /** How many series the answer had (a scalar counts as one). */
  series: number;
}

/** One series of a range query: its labels and its samples. */
export interface MetricsRangeSeries {
  labels: Record<string, string>;
  /** [unix ms, value]; NaN and ±Inf are left out. */
  points: [number, number][];
}

/** Instant queries against the metrics backend of a cluster. */
export interface MetricsClient {
  /** Whether a Prometheus is configured for the cluster. */
  isConfigured(cluster: string): boolean;
  /**
   * Runs an instant PromQL query that must yield a single value (a scalar,
   * or a vector of at most one series).
   *
   * Rejects with an InputError when Prometheus rejects the query or it yields
   * several series, a NotFoundError when no Prometheus is configured for the
   * cluster, a ServiceUnavailableError when Prometheus cannot be reached,
   * times out or fails, and with the signal's reason when `signal` aborts.
   */
  query(
    cluster: string,
    promql: string,
    options?: { signal?: AbortSignal; time?: Date },
  ): Promise<MetricsQueryResult>;
}

/** Range queries, for charts (`/api/v1/query_range`). */
export interface MetricsRangeClient extends MetricsClient {
  /**
   * Runs a range query; every series with its samples. Errors as `query`.
   */
  queryRange(
    cluster: string,
    promql: string,
    range: { start: Date; end: Date; stepSeconds: number },
    options?: { signal?: AbortSignal },
  ): Promise<MetricsRangeSeries[]>;
}

const sampleSchema = z.tuple([z.number(), z.string()]);

const successSchema = z.object({
  status: z.literal('success'),
  data: z.discriminatedUnion('resultType', [
    z.object({
      resultType: z.literal('vector'),
      result: z.array(
        z.object({
          metric: z.record(z.string(), z.string()),
          value: sampleSchema,
        }),
      ),
    }),
    z.object({ resultType: z.literal('scalar'), result: sampleSchema }),
    z.object({
      resultType: z.literal('matrix'),
      result: z.array(
        z.object({
          metric: z.record(z.string(), z.string()),
          values: z.array(sampleSchema),
        }),
      ),
    }),
    z.object({ resultType: z.literal('string'), result: sampleSchema }),
  ]),
});

const errorSchema = z.object({
  status: z.literal('error'),
  errorType: z.string().optional(),
  error: z.string(),
});

/** Prometheus writes NaN, +Inf and -Inf as text; they are "no data" here. */
function sampleValue(text: string): number | null {
  if (!text.trim()) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** The URL without credentials, for messages. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** The Prometheus HTTP API (`/api/v1/query`) of each configured cluster. */
export class PrometheusClient implements MetricsRangeClient {
  static fromConfig(config: Config): PrometheusClient {
    return new PrometheusClient(readPrometheusConfig(config));
  }

  constructor(private readonly config: PrometheusConfig) {}

  isConfigured(cluster: string): boolean {
    return this.targetOf(cluster) !== undefined;
  }

  private targetOf(cluster: string): PrometheusTarget | undefined {
    const entry = this.config.clusters.get(cluster);
    if (entry) return entry;
    return this.config.baseUrl
      ? { baseUrl: this.config.baseUrl, headers: {} }
      : undefined;
  }

  async query(
    cluster: string,
    promql: string,
    options: { signal?: AbortSignal; time?: Date } = {},
  ): Promise<MetricsQueryResult> {
    const params: Record<string, string> = {};
    if (options.time) params.time = String(options.time.getTime() / 1000);
    const data = await this.call(cluster, 'query', promql, params, options);
    switch (data.resultType) {
      case 'scalar':
        return { value: sampleValue(data.result[1]), series: 1 };
      case 'vector':
        if (data.result.length === 0) return { value: null, series: 0 };
        if (data.result.length > 1) {
          throw new InputError(
            `the query returns ${data.result.length} series in cluster '${cluster}' where one value is needed: aggregate the query, e.g. with sum()`,
          );
        }
        return { value: sampleValue(data.result[0].value[1]), series: 1 };
      default:
        throw new InputError(
          `the query returns a ${
            data.resultType === 'matrix' ? 'range vector' : 'string'
          } in cluster '${cluster}' where one number is needed: use e.g. sum(rate(metric[1m]))`,
        );
    }
  }

  async queryRange(
    cluster: string,
    promql: string,
    range: { start: Date; end: Date; stepSeconds: number },
    options: { signal?: AbortSignal } = {},
  ): Promise<MetricsRangeSeries[]> {
    const data = await this.call(
      cluster,
      'query_range',
      promql,
      {
        start: String(range.start.getTime() / 1000),
        end: String(range.end.getTime() / 1000),
        step: `${range.stepSeconds}s`,
      },
      options,
    );
    if (data.resultType !== 'matrix') {
      throw new InputError(
        `the range query returns a ${data.resultType} in cluster '${cluster}' where series are needed`,
      );
    }
    return data.result.map(series => ({
      labels: series.metric,
      points: series.values.flatMap(([t, text]): [number, number][] => {
        const value = sampleValue(text);
        return value === null ? [] : [[Math.round(t * 1000), value]];
      }),
    }));
  }

  /** POSTs to `/api/v1/<api>`; the parsed `data` or a Backstage error. */
  private async call(
    cluster: string,
    api: 'query' | 'query_range',
    promql: string,
    params: Record<string, string>,
    options: { signal?: AbortSignal },
  ): Promise<z.infer<typeof successSchema>['data']> {
    const target = this.targetOf(cluster);
    if (!target) {
      throw new NotFoundError(
        `no Prometheus configured for cluster '${cluster}' (set kubecopilot.prometheus.baseUrl, or add the cluster to kubecopilot.prometheus.clusters)`,
      );
    }
    if (!promql.trim()) throw new InputError('the PromQL query is empty');
    options.signal?.throwIfAborted();

    const url = `${target.baseUrl}/api/v1/${api}`;
    const where = `Prometheus for cluster '${cluster}' at ${displayUrl(url)}`;
    const { timeoutMs } = this.config;
    const body = new URLSearchParams({
      query: promql,
      // Prometheus stops evaluating too, a little before we stop waiting.
      timeout: `${Math.max(1, Math.floor(timeoutMs * 0.9))}ms`,
    });
    for (const [key, value] of Object.entries(params)) body.set(key, value);

    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal
      ? AbortSignal.any([options.signal, timeout])
      : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          ...target.headers,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body,
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (timeout.aborted) {
        throw new ServiceUnavailableError(
          `${where} did not answer within ${timeoutMs} ms`,
        );
      }
      const cause = (error as { cause?: { code?: string; message?: string } })
        ?.cause;
      throw new ServiceUnavailableError(
        `${where} is unreachable: ${
          cause?.code ?? cause?.message ?? (error as Error)?.message ?? error
        }`,
      );
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const failure = errorSchema.safeParse(json);
    if (!response.ok) {
      const detail = failure.success
        ? `${failure.data.error}${
            failure.data.errorType ? ` (${failure.data.errorType})` : ''
          }`
        : text.trim().slice(0, 300) || response.statusText;
      if (response.status === 401 || response.status === 403) {
        throw new ServiceUnavailableError(
          `${where} refused the credentials (HTTP ${response.status}): check kubecopilot.prometheus.clusters[].headers for '${cluster}'`,
        );
      }
      if (response.status === 404) {
        throw new ServiceUnavailableError(
          `${where} has no query API (HTTP 404): check the baseUrl`,
        );
      }
      if (
        response.status >= 400 &&
        response.status < 500 &&
        response.status !== 429 &&
        failure.success
      ) {
        throw new InputError(
          `Prometheus rejected the query for cluster '${cluster}': ${detail}`,
        );
      }
      throw new ServiceUnavailableError(
        `${where} failed (HTTP ${response.status}): ${detail}`,
      );
    }
    if (failure.success) {
      throw new InputError(
        `Prometheus rejected the query for cluster '${cluster}': ${failure.data.error}`,
      );
    }
    const parsed = successSchema.safeParse(json);
    if (!parsed.success) {
      throw new ServiceUnavailableError(
        `${where} answered something that is not a Prometheus query response (HTTP ${
          response.status
        }): ${text.trim().slice(0, 200)}`,
      );
    }

    return parsed.data.data;
  }
}
