import { useApi } from '@backstage/core-plugin-api';
import {
  ClusterError,
  WorkloadSummary,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import useAsync from 'react-use/esm/useAsync';
import { kubecopilotApiRef } from '../../api';

/** What the picker knows of the chosen entity's workloads. */
export type EntityWorkloadsState =
  | { status: 'no-entity' }
  | { status: 'loading' }
  | { status: 'error'; error: Error }
  | {
      status: 'loaded';
      /** The workloads of the wanted kinds, by name. */
      workloads: WorkloadSummary[];
      /** Clusters that could not be read: the list may miss their workloads. */
      clusterErrors: ClusterError[];
    };

/**
 * The workloads of `kinds` that `entityRef` runs, read through the
 * KubeCopilot backend (the same permission checks as the entity's tabs).
 */
export function useEntityWorkloads(
  entityRef: string | undefined,
  kinds: string[],
): EntityWorkloadsState {
  const api = useApi(kubecopilotApiRef);
  const kindsKey = kinds.join(',');
  const state = useAsync(async () => {
    if (!entityRef) {
      return undefined;
    }
    const response = await api.getWorkloads(entityRef);
    const wanted = new Set(kindsKey.split(','));
    return {
      workloads: response.workloads
        .filter(w => wanted.has(w.kind))
        .sort(
          (a, b) =>
            a.name.localeCompare(b.name) ||
            a.namespace.localeCompare(b.namespace) ||
            a.cluster.localeCompare(b.cluster),
        ),
      clusterErrors: response.errors,
    };
  }, [api, entityRef, kindsKey]);

  if (!entityRef) {
    return { status: 'no-entity' };
  }
  if (state.loading) {
    return { status: 'loading' };
  }
  if (state.error) {
    return { status: 'error', error: state.error };
  }
  if (!state.value) {
    return { status: 'loading' };
  }
  return { status: 'loaded', ...state.value };
}

/** One workload's identity across clusters and namespaces. */
export function workloadKey(w: WorkloadSummary): string {
  return `${w.cluster}/${w.kind}/${w.namespace}/${w.name}`;
}
