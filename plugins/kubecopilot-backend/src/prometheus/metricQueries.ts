import { InputError } from '@backstage/errors';
import { CanaryQueryTemplates, escapePromQLString } from './queries';

/**
 * PromQL templates of the entity's charts (`kubecopilot.prometheus.metrics.queries.*`), with
 * `{{namespace}}`, `{{workload}}` (alias `{{deployment}}`, as in the canary templates),
 * `{{pod}}` (a regex of the workload's pod names) and `{{window}}` (a rate window sized to
 * the chart's step) placeholders.
 */
export interface MetricQueryTemplates {
  cpu: string;
  cpuRequests: string;
  cpuLimits: string;
  throttling: string;
  memory: string;
  memoryRequests: string;
  memoryLimits: string;
  restarts: string;
  replicas: string;
  requestRate: string;
  errorRatio: string;
  p99Latency: string;
}

export const METRIC_QUERY_KEYS = [
  'cpu',
  'cpuRequests',
  'cpuLimits',
  'throttling',
  'memory',
  'memoryRequests',
  'memoryLimits',
  'restarts',
  'replicas',
  'requestRate',
  'errorRatio',
  'p99Latency',
] as const satisfies readonly (keyof MetricQueryTemplates)[];

const POD = 'namespace="{{namespace}}",pod=~"{{pod}}"';
const CONTAINER = `${POD},container!="",container!="POD"`;

/**
 * The defaults: cAdvisor (`container_*`) and kube-state-metrics (`kube_*`) names as a
 * standard kube-prometheus install scrapes them; per container, the worst pod (`max`), so
 * one pod at its memory limit is not averaged away. HTTP rate uses the canary templates'
 * `http_requests_total`; error ratio and p99 default to the canary templates themselves.
 */
export function defaultMetricQueryTemplates(
  canary: CanaryQueryTemplates,
): MetricQueryTemplates {
  const resource = (kind: 'requests' | 'limits', name: string) =>
    `max by (container) (kube_pod_container_resource_${kind}{${POD},resource="${name}"})`;
  return {
    cpu: `max by (container) (rate(container_cpu_usage_seconds_total{${CONTAINER}}[{{window}}]))`,
    cpuRequests: resource('requests', 'cpu'),
    cpuLimits: resource('limits', 'cpu'),
    throttling:
      `max by (container) (rate(container_cpu_cfs_throttled_periods_total{${CONTAINER}}[{{window}}])` +
      ` / rate(container_cpu_cfs_periods_total{${CONTAINER}}[{{window}}]))`,
    memory: `max by (container) (container_memory_working_set_bytes{${CONTAINER}})`,
    memoryRequests: resource('requests', 'memory'),
    memoryLimits: resource('limits', 'memory'),
    restarts: `sum by (container) (kube_pod_container_status_restarts_total{${POD}})`,
    replicas:
      'sum(kube_deployment_status_replicas_available{namespace="{{namespace}}",deployment="{{workload}}"})',
    requestRate:
      'sum(rate(http_requests_total{namespace="{{namespace}}",deployment="{{workload}}"}[{{window}}]))',
    errorRatio: canary.errorRate,
    p99Latency: canary.p99Latency,
  };
}

export const METRIC_PLACEHOLDERS = [
  'namespace',
  'workload',
  'deployment',
  'pod',
  'window',
] as const;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

/** Unknown placeholders of a metric template; empty when fine. */
export function metricTemplateProblems(template: string): string[] {
  const unknown = [...template.matchAll(PLACEHOLDER)]
    .map(m => m[1])
    .filter(name => !(METRIC_PLACEHOLDERS as readonly string[]).includes(name));
  return unknown.length
    ? [
        `unknown placeholder {{${unknown[0]}}} (use ${METRIC_PLACEHOLDERS.map(
          p => `{{${p}}}`,
        ).join(', ')})`,
      ]
    : [];
}

/** What a chart's query is about. */
export interface WorkloadQueryParams {
  kind: string;
  namespace: string;
  name: string;
  /** A PromQL duration. */
  window: string;
}

/**
 * A regex of the pod names a workload's controller gives its pods: Deployment
 * `name-<rs hash>-<suffix>`, StatefulSet `name-<ordinal>`, DaemonSet and Job
 * `name-<suffix>`; any other kind, the name itself.
 */
export function podNamePattern(kind: string, name: string): string {
  const quoted = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  switch (kind) {
    case 'Deployment':
      return `${quoted}-[a-z0-9]+-[a-z0-9]+`;
    case 'StatefulSet':
      return `${quoted}-[0-9]+`;
    case 'DaemonSet':
    case 'Job':
      return `${quoted}-[a-z0-9]+`;
    default:
      return quoted;
  }
}

/** Fills a metric template; values escaped for double-quoted PromQL strings. */
export function renderMetricTemplate(
  template: string,
  params: WorkloadQueryParams,
): string {
  if (!DURATION.test(params.window)) {
    throw new InputError(
      `window must be a PromQL duration; got ${JSON.stringify(params.window)}`,
    );
  }
  const values: Record<string, string> = {
    namespace: escapePromQLString(params.namespace),
    workload: escapePromQLString(params.name),
    deployment: escapePromQLString(params.name),
    pod: escapePromQLString(podNamePattern(params.kind, params.name)),
    window: params.window,
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
