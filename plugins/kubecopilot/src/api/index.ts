export { KubecopilotClient } from './KubecopilotClient';
export { kubecopilotApiRef } from './types';
export { kubernetesAuthProvidersApiRef } from './clusterAuth';
export type { KubernetesAuthProvidersApi } from './clusterAuth';
export type {
  AuditQuery,
  CreateCanaryPlanInput,
  EventsQuery,
  KubecopilotApi,
  ListFindingsQuery,
  ListPlansQuery,
  ListPlansResponse,
} from './types';
