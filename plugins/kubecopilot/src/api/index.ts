export { KubecopilotClient } from './KubecopilotClient';
export { kubecopilotApiRef } from './types';
export type {
  CreateCanaryPlanInput,
  KubecopilotApi,
  ListPlansQuery,
  ListPlansResponse,
} from './types';
