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
export { BEHAVIORS } from './controllers/images';
export type { Behavior, ImageBehaviorRule } from './controllers/images';
export type {
  DemoCluster,
  DemoClusterOptions,
  FaultRule,
  KubeObject,
  OwnerReference,
  RequestLogEntry,
} from './types';
