/**
 * KubeCopilot frontend plugin: the "AI Diagnose" and "Operation Plans" entity
 * tabs, the Overview summary card, the home page and the approval inbox. The new frontend system's plugin is the default
 * export of `./alpha`.
 *
 * @packageDocumentation
 */

export {
  kubecopilotPlugin,
  EntityKubecopilotDiagnoseContent,
  EntityKubecopilotPlansContent,
  EntityKubecopilotManifestContent,
  EntityKubecopilotMetricsContent,
  KubecopilotInboxPage,
  KubecopilotFindingsPage,
  EntityKubecopilotPostmortemsContent,
  KubecopilotHomePage,
  EntityKubecopilotSummaryCard,
  KubecopilotDeploymentPickerFieldExtension,
} from './plugin';
export type { DeploymentPickerUiOptions } from './components/DeploymentPickerField';
export { findingsRouteRef, homeRouteRef, inboxRouteRef } from './routes';
export { KubecopilotClient, kubecopilotApiRef } from './api';
export type {
  AuditQuery,
  CreateCanaryPlanInput,
  KubecopilotApi,
  ListFindingsQuery,
  ListPlansQuery,
  ListPlansResponse,
} from './api';
export {
  KubecopilotMetricsClient,
  kubecopilotMetricsApiRef,
} from './api/MetricsClient';
export type { KubecopilotMetricsApi } from './api/MetricsClient';
export { isKubecopilotAvailable } from './isKubecopilotAvailable';
export { kubecopilotTranslationRef } from './translation';
export { kubecopilotTranslations } from './translations';
