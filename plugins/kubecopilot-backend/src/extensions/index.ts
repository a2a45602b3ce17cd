export {
  kubecopilotAnalyzersExtensionPoint,
  kubecopilotRiskRulesExtensionPoint,
  kubecopilotContextProvidersExtensionPoint,
} from './extensionPoints';
export { ModuleExtensions } from './ModuleExtensions';
export { DiagnosisModules } from './DiagnosisModules';
export type { DiagnosisModuleRunner } from './DiagnosisModules';
export { toRiskRule } from './moduleRiskRules';
export type * from './types';
