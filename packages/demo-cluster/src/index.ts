/**
 * A simulated Kubernetes API server over HTTPS, for KubeCopilot's demo and tests.
 *
 * @packageDocumentation
 */
export { startDemoCluster, DEFAULT_TOKEN } from './start';
export { buildKubeconfig, writeKubeconfig } from './kubeconfig';
export type { KubeconfigOptions } from './kubeconfig';
export { runCli, parseArgs, USAGE } from './cli';
export type { CliOptions } from './cli';
export { ScenarioError } from './scenario/load';
export { BEHAVIORS, DEFAULT_TRAFFIC } from './controllers/images';
export type { Behavior, ImageBehaviorRule, TrafficProfile } from './controllers/images';
export { LATENCY_BUCKETS } from './exporter';
export { startPrometheus, prometheusConfig, DEFAULT_PROMETHEUS_BINARY } from './prometheus';
export type { PrometheusOptions, PrometheusServer } from './prometheus';
export type {
  DemoCluster,
  DemoClusterOptions,
  FaultRule,
  KubeObject,
  OwnerReference,
  RequestLogEntry,
} from './types';
