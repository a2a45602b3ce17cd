/**
 * The KubeCopilot backend plugin: diagnosis, operation plans, safe execution
 * and audit for Kubernetes workloads of catalog entities.
 *
 * @packageDocumentation
 */

export { kubecopilotPlugin as default } from './plugin';
export {
  kubecopilotPlanConditions,
  createKubecopilotPlanConditionalDecision,
  kubecopilotEntityConditions,
  createKubecopilotEntityConditionalDecision,
} from './permissions/conditions';
export { runVerifyCli } from './audit/verifyCli';
export {
  kubecopilotAnalyzersExtensionPoint,
  kubecopilotRiskRulesExtensionPoint,
  kubecopilotContextProvidersExtensionPoint,
} from './extensions/extensionPoints';
export type {
  KubecopilotAnalyzer,
  KubecopilotAnalysisContext,
  KubecopilotAnalyzersExtensionPoint,
  KubecopilotContextProvider,
  KubecopilotContextProvidersExtensionPoint,
  KubecopilotMetadataReader,
  KubecopilotProvidedContext,
  KubecopilotProvidedItem,
  KubecopilotRiskEffect,
  KubecopilotRiskRule,
  KubecopilotRiskRulesExtensionPoint,
} from './extensions/types';
export type { AnalysisContext, ContainerLog, MissingObject } from './analyzers/types';
export type { RiskContext } from './risk/types';
export type { KubeObject } from './kubernetes/types';
