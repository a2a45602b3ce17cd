import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ApiRef,
  useApi,
  useApiHolder,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';
import {
  catalogApiRef,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  OperationPlan,
  RiskLevel,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useCallback, useEffect, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { kubecopilotApiRef } from '../../api';
import { usePlanParam } from '../../hooks/usePlanParam';
import { PlanFilters } from '../PlanFilters';
import { PlanReview } from '../PlanReview';
import { describeError } from '../PlanReview/PlanNotices';
import { PlansList } from '../PlansList';
import { PlansTable } from '../PlansTable';
import { usePlans } from '../../hooks/usePlans';
import { PromptBar } from '../PromptBar';
import { PLANS_SIGNAL_CHANNEL } from '../../signals';

// Some API holders throw for an API nobody registered instead of answering
// undefined.
function useOptionalApi<T>(ref: ApiRef<T>): T | undefined {
  const holder = useApiHolder();
  try {
    return holder.get(ref);
  } catch {
    return undefined;
  }
}

function ComponentPicker(props: {
  value: string | null;
  onChange: (ref: string | null) => void;
}) {
  // An app without the catalog still gets a working prompt bar: the user
  // types the entity reference instead of picking it.
  const catalogApi = useOptionalApi(catalogApiRef);
  const { value: options = [], loading } = useAsync(async () => {
    if (!catalogApi) return [];
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Component' },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    });
    return items.map(e => stringifyEntityRef(e)).sort();
  }, [catalogApi]);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Autocomplete
      id="kubecopilot-entity-picker"
      options={options}
      loading={loading}
      freeSolo={!catalogApi}
      autoSelect={!catalogApi}
      value={props.value}
      onChange={(_event, value) => props.onChange(value)}
      getOptionLabel={ref =>
        humanizeEntityRef(
          {
            kind: 'Component',
            namespace: ref.split(':')[1]?.split('/')[0] ?? 'default',
            name: ref.split('/').pop() ?? ref,
          } as any,
          { defaultKind: 'component' },
        )
      }
      style={{ width: 260, marginRight: 8 }}
      renderInput={params => (
        <TextField
          {...params}
          label={t('inbox.component')}
          variant="outlined"
          size="small"
        />
      )}
    />
  );
}

function countByRisk(plans: OperationPlan[]) {
  const counts: Record<RiskLevel, number> = { low: 0, medium: 0, high: 0 };
  for (const p of plans) counts[p.risk.level] += 1;
  return counts;
}

/** A select over entity refs (entities, owners) found in the listed plans. */
function RefFilter(props: {
  id: string;
  label: string;
  anyLabel: string;
  options: string[];
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <TextField
      id={props.id}
      select
      label={props.label}
      size="small"
      variant="outlined"
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      style={{ minWidth: 200 }}
    >
      <MenuItem value="">{props.anyLabel}</MenuItem>
      {props.options.map(ref => (
        <MenuItem key={ref} value={ref}>
          {ref}
        </MenuItem>
      ))}
    </TextField>
  );
}

/**
 * Every plan waiting for a decision across the portal, newest first, with
 * filters, counts, a batch reject and the review of `?plan=<id>`.
 *
 * @public
 */
export function InboxContent() {
  const api = useApi(kubecopilotApiRef);
  const [planId, setPlanId] = usePlanParam();
  const [risk, setRisk] = useState<RiskLevel | ''>('');
  const [entityFilter, setEntityFilter] = useState('');
  const [ownerFilter, setOwnerFilter] = useState('');
  const [promptEntity, setPromptEntity] = useState<string | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const refresh = useCallback(() => setRefreshKey(k => k + 1), []);
  const [selected, setSelected] = useState<OperationPlan[]>([]);
  const [batchComment, setBatchComment] = useState('');
  const [batchBusy, setBatchBusy] = useState(false);
  const [batchErrors, setBatchErrors] = useState<string[]>([]);
  const { t } = useTranslationRef(kubecopilotTranslationRef);

  const { lastSignal, isSignalsAvailable } = useSignal(PLANS_SIGNAL_CHANNEL);
  useEffect(() => {
    if (lastSignal) refresh();
  }, [lastSignal, refresh]);

  const rejectSelected = async () => {
    setBatchBusy(true);
    const errors: string[] = [];
    for (const p of selected) {
      try {
        await api.rejectPlan(p.id, batchComment.trim());
      } catch (e) {
        errors.push(`${p.id}: ${describeError(e as Error).message}`);
      }
    }
    setBatchErrors(errors);
    setBatchBusy(false);
    setBatchComment('');
    setSelected([]);
    refresh();
  };

  const filter = useMemo(() => {
    if (!risk && !entityFilter && !ownerFilter) return undefined;
    return (p: OperationPlan) =>
      (!risk || p.risk.level === risk) &&
      (!entityFilter || p.entityRef === entityFilter) &&
      (!ownerFilter || p.ownerRef === ownerFilter);
  }, [risk, entityFilter, ownerFilter]);

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
      {batchErrors.length > 0 && (
        <Box mb={2}>
          <Alert severity="error" data-testid="batch-errors">
            {t('inbox.batchErrors', { errors: batchErrors.join('; ') })}
          </Alert>
        </Box>
      )}
      <PlansList
        query={{ status: 'pending' }}
        filter={filter}
        onOpen={p => setPlanId(p.id)}
        onSelectionChange={setSelected}
        refreshKey={refreshKey}
        header={plans => {
          const counts = countByRisk(plans);
          const entities = [...new Set(plans.map(p => p.entityRef))].sort();
          const owners = [
            ...new Set(
              plans.map(p => p.ownerRef).filter((o): o is string => !!o),
            ),
          ].sort();
          return (
            <PlanFilters risk={risk} onRiskChange={setRisk} riskCounts={counts}>
              <RefFilter
                id="plan-filter-entity"
                label={t('inbox.entity')}
                anyLabel={t('inbox.anyEntity')}
                options={entities}
                value={entityFilter}
                onChange={setEntityFilter}
              />
              <RefFilter
                id="plan-filter-owner"
                label={t('inbox.owner')}
                anyLabel={t('inbox.anyOwner')}
                options={owners}
                value={ownerFilter}
                onChange={setOwnerFilter}
              />
              <Box display="flex" data-testid="risk-counts" style={{ gap: 4 }}>
                {(['high', 'medium', 'low'] as const).map(level => (
                  <Chip
                    key={level}
                    size="small"
                    label={t('inbox.riskCount', {
                      count: counts[level],
                      level: t(`plans.risk.${level}`),
                    })}
                    color={
                      level === 'high' && counts.high ? 'secondary' : 'default'
                    }
                  />
                ))}
              </Box>
              {selected.length > 0 && (
                <>
                  <TextField
                    id="batch-reject-comment"
                    label={t('inbox.rejectReason')}
                    size="small"
                    variant="outlined"
                    value={batchComment}
                    onChange={e => setBatchComment(e.target.value)}
                  />
                  <Button
                    color="secondary"
                    variant="contained"
                    disabled={!batchComment.trim() || batchBusy}
                    onClick={rejectSelected}
                  >
                    {batchBusy
                      ? t('inbox.rejecting')
                      : t('inbox.reject', { count: selected.length })}
                  </Button>
                </>
              )}
            </PlanFilters>
          );
        }}
        title={t('inbox.waitingTitle')}
        showEntity
        emptyTitle={
          risk || entityFilter || ownerFilter
            ? t('inbox.noMatch')
            : t('inbox.empty')
        }
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
