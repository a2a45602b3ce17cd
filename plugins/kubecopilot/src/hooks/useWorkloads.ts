import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kubecopilotApiRef } from '../api';

/** Loads an entity's workloads; `retry` reloads them. */
export function useWorkloads(entityRef: string) {
  const api = useApi(kubecopilotApiRef);
  return useAsyncRetry(() => api.getWorkloads(entityRef), [api, entityRef]);
}
