import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { ListPlansQuery } from '../../api';
import { usePlans } from '../../hooks/usePlans';
import { PlansTable } from '../PlansTable';

/** @public */
export interface PlansListProps {
  query: Omit<ListPlansQuery, 'cursor'>;
  title: string;
  showEntity?: boolean;
  emptyTitle: string;
  emptyDescription: string;
}

/**
 * Plans matching a query, with loading, error and empty states and paging
 * through the backend's cursor.
 *
 * @public
 */
export function PlansList(props: PlansListProps) {
  const { query, title, showEntity, emptyTitle, emptyDescription } = props;
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

  if (error) {
    return (
      <>
        <ResponseErrorPanel error={error} title="Could not load the plans" />
        <Box mt={2}>
          <Button variant="outlined" color="primary" onClick={retry}>
            Try again
          </Button>
        </Box>
      </>
    );
  }
  if (!plans) {
    return <Progress />;
  }
  if (plans.length === 0) {
    return (
      <EmptyState
        missing="data"
        title={emptyTitle}
        description={emptyDescription}
        action={
          <Button variant="outlined" color="primary" onClick={retry}>
            Refresh
          </Button>
        }
      />
    );
  }
  return (
    <>
      <PlansTable
        title={title}
        plans={plans}
        showEntity={showEntity}
        loading={loading}
        onRefresh={retry}
      />
      {loadMoreError && (
        <Box mt={2}>
          <ResponseErrorPanel
            error={loadMoreError}
            title="Could not load more plans"
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
            {loadingMore ? 'Loading…' : 'Load older plans'}
          </Button>
        </Box>
      )}
    </>
  );
}
