import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';
import { useSignal } from '@backstage/plugin-signals-react';
import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useCallback, useEffect, useState } from 'react';
import { usePlanParam } from '../../hooks/usePlanParam';
import { PlanReview } from '../PlanReview';
import { PlansList } from '../PlansList';
import { PlansTable } from '../PlansTable';
import { usePlans } from '../../hooks/usePlans';
import { PromptBar } from '../PromptBar';
import { PLANS_SIGNAL_CHANNEL } from '../../signals';
import { ComponentPicker } from './ComponentPicker';
import { InboxHeader, useBatchReject, useInboxFilters } from './InboxHeader';

/** A key that changes on each plan signal or asked-for refresh. */
function useLiveRefresh() {
  const [refreshKey, setRefreshKey] = useState(0);
  const refresh = useCallback(() => setRefreshKey(k => k + 1), []);
  const { lastSignal, isSignalsAvailable } = useSignal(PLANS_SIGNAL_CHANNEL);
  useEffect(() => {
    if (lastSignal) refresh();
  }, [lastSignal, refresh]);
  return { refreshKey, refresh, isSignalsAvailable };
}

/**
 * Every plan waiting for a decision across the portal, newest first, with
 * filters, counts, a batch reject and the review of `?plan=<id>`.
 *
 * @public
 */
export function InboxContent() {
  const [planId, setPlanId] = usePlanParam();
  const { filters, onFiltersChange, filter } = useInboxFilters();
  const [promptEntity, setPromptEntity] = useState<string | null>(null);
  const { refreshKey, refresh, isSignalsAvailable } = useLiveRefresh();
  const batch = useBatchReject(refresh);
  const { t } = useTranslationRef(kubecopilotTranslationRef);

  return (
    <>
      <PromptBar
        entityRef={promptEntity ?? undefined}
        before={
          <ComponentPicker value={promptEntity} onChange={setPromptEntity} />
        }
        onPlanCreated={created => {
          refresh();
          setPlanId(created.id);
        }}
      />
      {!isSignalsAvailable && (
        <Typography variant="caption" color="textSecondary" component="p">
          {t('inbox.noLiveUpdates')}
        </Typography>
      )}
      {batch.errors.length > 0 && (
        <Box mb={2}>
          <Alert severity="error" data-testid="batch-errors">
            {t('inbox.batchErrors', { errors: batch.errors.join('; ') })}
          </Alert>
        </Box>
      )}
      <PlansList
        query={{ status: 'pending' }}
        filter={filter}
        onOpen={p => setPlanId(p.id)}
        onSelectionChange={batch.setSelected}
        refreshKey={refreshKey}
        header={plans => (
          <InboxHeader
            plans={plans}
            filters={filters}
            onChange={onFiltersChange}
            batch={batch}
          />
        )}
        title={t('inbox.waitingTitle')}
        showEntity
        emptyTitle={filter ? t('inbox.noMatch') : t('inbox.empty')}
        emptyDescription={t('inbox.emptyDescription')}
      />
      <AwaitingPromotion
        refreshKey={refreshKey}
        onOpen={p => setPlanId(p.id)}
      />
      <PlanReview
        planId={planId}
        onClose={() => setPlanId(undefined)}
        onChange={refresh}
      />
    </>
  );
}

/**
 * Canary plans paused at "confirm promotion" also wait for a person; they
 * are listed under the approvals, and only when there are any.
 */
function AwaitingPromotion(props: {
  refreshKey: unknown;
  onOpen: (plan: OperationPlan) => void;
}) {
  const { plans, loading, retry } = usePlans({ status: 'paused' });
  const { refreshKey } = props;
  useEffect(() => {
    retry();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [refreshKey]);
  const paused = plans?.filter(p => p.status === 'paused') ?? [];
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (paused.length === 0) return null;
  return (
    <Box mt={3} data-testid="awaiting-promotion">
      <PlansTable
        title={t('inbox.awaitingPromotion')}
        plans={paused}
        showEntity
        loading={loading}
        onRefresh={retry}
        onOpen={props.onOpen}
      />
    </Box>
  );
}
