import { useApi } from '@backstage/frontend-plugin-api';
import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { useEffect, useMemo, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ListPlansQuery, ListPlansResponse, kubecopilotApiRef } from '../api';

/** Newest first, whatever order the pages arrived in. */
export function sortNewestFirst(plans: OperationPlan[]): OperationPlan[] {
  return [...plans].sort((a, b) =>
    b.audit.timestamps.createdAt.localeCompare(a.audit.timestamps.createdAt),
  );
}

/**
 * Loads plans page by page: the first page on mount, further pages on
 * `loadMore` while the backend hands out a cursor.
 */
export function usePlans(query: Omit<ListPlansQuery, 'cursor'>) {
  const api = useApi(kubecopilotApiRef);
  const { status, entityRef, limit } = query;

  const first = useAsyncRetry(
    () => api.listPlans({ status, entityRef, limit }),
    [api, status, entityRef, limit],
  );

  const [morePages, setMorePages] = useState<ListPlansResponse[]>([]);
  useEffect(() => setMorePages([]), [first.value]);

  const lastPage =
    morePages.length > 0 ? morePages[morePages.length - 1] : first.value;
  const nextCursor = lastPage?.nextCursor;

  const [more, loadMore] = useAsyncFn(async () => {
    if (!nextCursor) {
      return;
    }
    const page = await api.listPlans({
      status,
      entityRef,
      limit,
      cursor: nextCursor,
    });
    setMorePages(pages => [...pages, page]);
  }, [api, status, entityRef, limit, nextCursor]);

  const plans = useMemo(
    () =>
      first.value
        ? sortNewestFirst([
            ...first.value.items,
            ...morePages.flatMap(p => p.items),
          ])
        : undefined,
    [first.value, morePages],
  );

  return {
    plans,
    loading: first.loading,
    error: first.error,
    retry: first.retry,
    hasMore: Boolean(nextCursor),
    loadMore,
    loadingMore: more.loading,
    loadMoreError: more.error,
  };
}
