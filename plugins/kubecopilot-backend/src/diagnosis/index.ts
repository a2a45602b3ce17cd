export {
  createDiagnosisService,
  promptsDirectory,
} from './createDiagnosisService';
export { DefaultDiagnosisService } from './DiagnosisService';
export type {
  DiagnosisLlmOptions,
  DiagnosisServiceOptions,
} from './DiagnosisService';
export { AuthorizedDiagnosisService } from './AuthorizedDiagnosisService';
export { DatabaseDiagnosisStore } from './DatabaseDiagnosisStore';
export { KubernetesContextGatherer } from './gather';
export type {
  ContextGatherer,
  GatheredContext,
  GatherStats,
  KubernetesContextGathererOptions,
} from './gather';
export {
  ruleBasedDiagnosis,
  recommendationsFrom,
} from './rules/ruleBasedDiagnosis';
export type {
  DiagnoseOptions,
  DiagnosisService,
  DiagnosisStore,
  DiagnosisTarget,
  ListDiagnosesOptions,
} from './types';
