export { KubecopilotClient } from './KubecopilotClient';
export { kubecopilotApiRef } from './types';
export type {
  KubecopilotApi,
  ListPlansQuery,
  ListPlansResponse,
} from './types';
