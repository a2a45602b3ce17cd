export { PrometheusClient } from './PrometheusClient';
export type {
  MetricsClient,
  MetricsQueryResult,
  MetricsRangeClient,
  MetricsRangeSeries,
} from './PrometheusClient';
export { readPrometheusConfig } from './config';
export type { PrometheusConfig, PrometheusTarget } from './config';
export {
  evaluateGate,
  formatGateValue,
  compare as compareGateValue,
  sleep as abortableSleep,
} from './evaluateGate';
export type { EvaluateGateOptions, GateEvaluation } from './evaluateGate';
export {
  canaryQueries,
  createCanaryQueries,
  renderQueryTemplate,
  escapePromQLString,
  DEFAULT_CANARY_QUERY_TEMPLATES,
} from './queries';
export type {
  CanaryQueries,
  CanaryQueryParams,
  CanaryQueryTemplates,
} from './queries';
