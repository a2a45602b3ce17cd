import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kubecopilotApiRef } from '../api';

/**
 * Loads an entity's workloads (with `relations`, their ConfigMaps, Secrets
 * and Ingresses too); `retry` reloads them.
 */
export function useWorkloads(
  entityRef: string,
  options: { relations?: boolean } = {},
) {
  const api = useApi(kubecopilotApiRef);
  const relations = !!options.relations;
  return useAsyncRetry(
    () => api.getWorkloads(entityRef, relations ? { relations } : undefined),
    [api, entityRef, relations],
  );
}
