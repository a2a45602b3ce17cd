export type {
  Analyzer,
  AnalysisContext,
  ContainerLog,
  MissingObject,
  ObjectKeys,
} from './types';
export { createAnalysisContext } from './types';
export { runAnalyzers, defaultAnalyzers } from './runAnalyzers';
export type { AnalysisResult } from './runAnalyzers';
export {
  podAnalyzer,
  configReferencesOf,
  missingVariableOf,
  RESTART_WONT_HELP,
} from './pod';
export type { ConfigReference } from './pod';
export { deploymentAnalyzer } from './deployment';
export { statefulSetAnalyzer } from './statefulset';
export { failsOnMissingService } from './statefulsetService';
export { daemonSetAnalyzer } from './daemonset';
export { serviceAnalyzer } from './service';
export { ingressAnalyzer } from './ingress';
export { hpaAnalyzer } from './hpa';
export { pvcAnalyzer } from './pvc';
export { nodeAnalyzer } from './node';
export { jobAnalyzer } from './job';
export { pdbAnalyzer } from './pdb';
export { cronJobAnalyzer } from './cronjob';
export { workloadOf } from './common';
export type { WorkloadOwner } from './common';
