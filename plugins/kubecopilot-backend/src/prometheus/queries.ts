import { InputError } from '@backstage/errors';

/**
 * PromQL templates of the canary gates, with `{{namespace}}`, `{{deployment}}`
 * and `{{window}}` placeholders (`kubecopilot.prometheus.queries.*`).
 */
export interface CanaryQueryTemplates {
  /** Fraction of requests that failed, 0–1. */
  errorRate: string;
  /** 99th percentile latency in seconds. */
  p99Latency: string;
}

/**
 * The defaults: the metric names of the demo cluster's exporter and of many
 * HTTP middlewares (`http_requests_total{code}`,
 * `http_request_duration_seconds` histogram) with `namespace` and
 * `deployment` labels.
 */
export const DEFAULT_CANARY_QUERY_TEMPLATES: Readonly<CanaryQueryTemplates> =
  Object.freeze({
    errorRate:
      'sum(rate(http_requests_total{namespace="{{namespace}}",deployment="{{deployment}}",code=~"5.."}[{{window}}]))' +
      ' / sum(rate(http_requests_total{namespace="{{namespace}}",deployment="{{deployment}}"}[{{window}}]))',
    p99Latency:
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="{{namespace}}",deployment="{{deployment}}"}[{{window}}])))',
  });

/** What a canary gate's query is about. */
export interface CanaryQueryParams {
  namespace: string;
  /** The canary Deployment. */
  deployment: string;
  /** A PromQL duration, e.g. `1m`, `30s`, `1m30s`. Default `1m`. */
  window?: string;
}

/** The placeholders a template may use. */
export const QUERY_PLACEHOLDERS = [
  'namespace',
  'deployment',
  'window',
] as const;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

/** Escapes a value for a double-quoted PromQL string (label matchers). */
export function escapePromQLString(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
}

/**
 * Problems of a template: unknown placeholders, or no `{{deployment}}` (a
 * gate must measure the canary, not the whole service). Empty when fine.
 */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  const used = [...template.matchAll(PLACEHOLDER)].map(m => m[1]);
  const unknown = used.filter(
    name => !(QUERY_PLACEHOLDERS as readonly string[]).includes(name),
  );
  if (unknown.length) {
    problems.push(
      `unknown placeholder {{${unknown[0]}}} (use ${QUERY_PLACEHOLDERS.map(
        p => `{{${p}}}`,
      ).join(', ')})`,
    );
  }
  if (!used.includes('deployment')) {
    problems.push('must use {{deployment}} so it measures the canary only');
  }
  return problems;
}

/**
 * Fills a template: `{{namespace}}` and `{{deployment}}` escaped for a
 * double-quoted PromQL string, `{{window}}` checked to be a PromQL duration.
 */
export function renderQueryTemplate(
  template: string,
  params: CanaryQueryParams,
): string {
  for (const key of ['namespace', 'deployment'] as const) {
    if (typeof params[key] !== 'string' || !params[key].trim()) {
      throw new InputError(`a canary query needs a non-empty ${key}`);
    }
  }
  const window = params.window ?? '1m';
  if (!DURATION.test(window)) {
    throw new InputError(
      `window must be a PromQL duration like 30s, 1m or 1m30s; got ${JSON.stringify(
        window,
      )}`,
    );
  }
  const values: Record<string, string> = {
    namespace: escapePromQLString(params.namespace),
    deployment: escapePromQLString(params.deployment),
    window,
  };
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (!(name in values)) {
      throw new InputError(
        `unknown placeholder ${whole} in the query template`,
      );
    }
    return values[name];
  });
}

/** The gate queries of a canary. */
export interface CanaryQueries {
  /** PromQL of the fraction of requests answered 5xx (0–1). */
  errorRateQuery(params: CanaryQueryParams): string;
  /** PromQL of the 99th percentile latency, in seconds. */
  p99LatencyQuery(params: CanaryQueryParams): string;
}

/** Canary queries from templates (e.g. `readPrometheusConfig(config).queries`). */
export function createCanaryQueries(
  templates: CanaryQueryTemplates = DEFAULT_CANARY_QUERY_TEMPLATES,
): CanaryQueries {
  return {
    errorRateQuery: params => renderQueryTemplate(templates.errorRate, params),
    p99LatencyQuery: params =>
      renderQueryTemplate(templates.p99Latency, params),
  };
}

/** The canary queries of the default templates. */
export const canaryQueries: CanaryQueries = createCanaryQueries();
