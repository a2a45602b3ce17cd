import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useCallback, useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kubecopilotApiRef } from '../../api';
import { kubecopilotTranslationRef } from '../../translation';
import { useFindingColumns } from './FindingsColumns';
import {
  FindingFilterValues,
  FindingsFilters,
  filterFindings,
} from './FindingsFilters';

export { age } from './age';

/**
 * Open findings across the portal, as the findings scan keeps them,
 * filterable by owner, cluster, severity and age; each links to its
 * entity's "AI Diagnose" tab, where it is explained.
 */
export function FindingsContent() {
  const api = useApi(kubecopilotApiRef);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const [filters, setFilters] = useState<FindingFilterValues>({
    status: 'open',
    owner: '',
    cluster: '',
    severity: '',
    minAge: '',
  });
  const onFiltersChange = useCallback(
    (patch: Partial<FindingFilterValues>) =>
      setFilters(current => ({ ...current, ...patch })),
    [],
  );
  const { status } = filters;
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listFindings({ status, limit: 1000 }),
    [api, status],
  );
  const items = useMemo(() => value?.items ?? [], [value]);
  const now = Date.now();
  const rows = filterFindings(items, filters, now);
  const resolved = status === 'resolved';
  const columns = useFindingColumns(resolved, now);

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;

  return (
    <>
      <FindingsFilters
        items={items}
        filters={filters}
        onChange={onFiltersChange}
      />
      {items.length === 0 ? (
        <EmptyState
          missing="data"
          title={t('findingsPage.emptyTitle')}
          description={t('findingsPage.emptyDescription')}
        />
      ) : (
        <Table
          title={
            resolved
              ? t('findingsPage.resolvedTitle', { n: String(rows.length) })
              : t('findingsPage.tableTitle', { n: String(rows.length) })
          }
          options={{ paging: rows.length > 50, pageSize: 50, search: true }}
          columns={columns}
          data={rows}
          actions={[
            {
              icon: () => <RefreshIcon />,
              tooltip: t('findingsPage.reload'),
              isFreeAction: true,
              onClick: () => retry(),
            },
          ]}
        />
      )}
    </>
  );
}
