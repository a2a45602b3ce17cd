export { KubecopilotClient } from './KubecopilotClient';
export { kubecopilotApiRef } from './types';
export { kubernetesAuthProvidersApiRef } from './clusterAuth';
export type { KubernetesAuthProvidersApi } from './clusterAuth';
export type {
  CreateCanaryPlanInput,
  KubecopilotApi,
  ListPlansQuery,
  ListPlansResponse,
} from './types';
