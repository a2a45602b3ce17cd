import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { ReactNode, useEffect, useRef } from 'react';
import { ListPlansQuery } from '../../api';
import { usePlans } from '../../hooks/usePlans';
import { PlansTable } from '../PlansTable';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';

/** @public */
export interface PlansListProps {
  query: Omit<ListPlansQuery, 'cursor'>;
  title: string;
  showEntity?: boolean;
  emptyTitle: string;
  emptyDescription: string;
  /** Narrows what the backend returned, e.g. by risk. */
  filter?: (plan: OperationPlan) => boolean;
  onOpen?: (plan: OperationPlan) => void;
  onSelectionChange?: (plans: OperationPlan[]) => void;
  /** Changing it reloads the list, e.g. after a plan changed. */
  refreshKey?: unknown;
  /** Shown above the table, given every loaded plan (before `filter`). */
  header?: (plans: OperationPlan[]) => ReactNode;
}

/**
 * Plans matching a query, with loading, error and empty states and paging
 * through the backend's cursor.
 *
 * @public
 */
export function PlansList(props: PlansListProps) {
  const {
    query,
    title,
    showEntity,
    emptyTitle,
    emptyDescription,
    filter,
    onOpen,
    onSelectionChange,
    refreshKey,
    header,
  } = props;
  const {
    plans,
    loading,
    error,
    retry,
    hasMore,
    loadMore,
    loadingMore,
    loadMoreError,
  } = usePlans(query);
  const { t } = useTranslationRef(kubecopilotTranslationRef);

  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    retry();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [refreshKey]);

  if (error) {
    return (
      <>
        <ResponseErrorPanel error={error} title={t('plans.loadError')} />
        <Box mt={2}>
          <Button variant="outlined" color="primary" onClick={retry}>
            {t('plans.tryAgain')}
          </Button>
        </Box>
      </>
    );
  }
  if (!plans) {
    return <Progress />;
  }
  const shown = filter ? plans.filter(filter) : plans;
  if (shown.length === 0) {
    return (
      <>
        {header?.(plans)}
        <EmptyState
          missing="data"
          title={emptyTitle}
          description={emptyDescription}
          action={
            <Button variant="outlined" color="primary" onClick={retry}>
              {t('common.refresh')}
            </Button>
          }
        />
      </>
    );
  }
  return (
    <>
      {header?.(plans)}
      <PlansTable
        title={title}
        plans={shown}
        onOpen={onOpen}
        onSelectionChange={onSelectionChange}
        showEntity={showEntity}
        loading={loading}
        onRefresh={retry}
      />
      {loadMoreError && (
        <Box mt={2}>
          <ResponseErrorPanel
            error={loadMoreError}
            title={t('plans.loadMoreError')}
          />
        </Box>
      )}
      {hasMore && (
        <Box mt={2} display="flex" justifyContent="center">
          <Button
            variant="outlined"
            color="primary"
            disabled={loadingMore}
            onClick={() => loadMore()}
          >
            {loadingMore ? t('common.loading') : t('plans.loadOlder')}
          </Button>
        </Box>
      )}
    </>
  );
}
