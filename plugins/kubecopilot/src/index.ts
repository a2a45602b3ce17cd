/**
 * KubeCopilot frontend plugin: the "AI Diagnose" and "Operation Plans" entity
 * tabs and the approval inbox. The new frontend system's plugin is the default
 * export of `./alpha`.
 *
 * @packageDocumentation
 */

export {
  kubecopilotPlugin,
  EntityKubecopilotDiagnoseContent,
  EntityKubecopilotPlansContent,
  KubecopilotInboxPage,
} from './plugin';
export { inboxRouteRef } from './routes';
export { KubecopilotClient, kubecopilotApiRef } from './api';
export type {
  CreateCanaryPlanInput,
  KubecopilotApi,
  ListPlansQuery,
  ListPlansResponse,
} from './api';
export { isKubecopilotAvailable } from './isKubecopilotAvailable';
