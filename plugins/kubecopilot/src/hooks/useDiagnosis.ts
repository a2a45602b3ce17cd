import { useApi } from '@backstage/frontend-plugin-api';
import { Diagnosis } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { useCallback, useMemo, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kubecopilotApiRef } from '../api';

/** How many past diagnoses the tab lists. */
export const DIAGNOSIS_HISTORY_LIMIT = 10;

/**
 * The entity's recent diagnoses, the one on screen, and the Diagnose action.
 * Until the user picks one, the newest is shown, so the tab is useful before
 * anyone runs a new diagnosis.
 */
export function useDiagnosis(entityRef: string) {
  const api = useApi(kubecopilotApiRef);
  const history = useAsyncRetry(
    () => api.listDiagnoses(entityRef, DIAGNOSIS_HISTORY_LIMIT),
    [api, entityRef],
  );
  // Diagnoses run in this session, newest first; the history request above
  // does not see them until it is reloaded.
  const [fresh, setFresh] = useState<Diagnosis[]>([]);
  const [selectedId, setSelectedId] = useState<string | undefined>();

  const [run, diagnose] = useAsyncFn(async () => {
    const result = await api.diagnose(entityRef);
    setFresh(previous => [result, ...previous.filter(d => d.id !== result.id)]);
    setSelectedId(result.id);
    return result;
  }, [api, entityRef]);

  const items = useMemo(() => {
    const loaded = history.value?.items ?? [];
    const ids = new Set(fresh.map(d => d.id));
    return [...fresh, ...loaded.filter(d => !ids.has(d.id))];
  }, [fresh, history.value]);

  const selected = items.find(d => d.id === selectedId) ?? items[0];

  const select = useCallback((id: string) => setSelectedId(id), []);

  return {
    items,
    selected,
    select,
    historyLoading: history.loading,
    historyError: history.error,
    reloadHistory: history.retry,
    diagnose,
    diagnosing: run.loading,
    diagnoseError: run.error,
  };
}
