import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  OperationPlan,
  RiskLevel,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import TextField from '@material-ui/core/TextField';
import { useCallback, useMemo, useState } from 'react';
import { kubecopilotApiRef } from '../../api';
import { kubecopilotTranslationRef } from '../../translation';
import { FilterSelect } from '../FilterSelect';
import { PlanFilters } from '../PlanFilters';
import { describeError } from '../PlanReview/PlanNotices';

/** What the inbox is filtered by; '' means "any". */
export interface InboxFilterValues {
  risk: RiskLevel | '';
  entity: string;
  owner: string;
}

/** The filter values, a patching setter and the predicate they make (none when all are "any"). */
export function useInboxFilters() {
  const [filters, setFilters] = useState<InboxFilterValues>({
    risk: '',
    entity: '',
    owner: '',
  });
  const onFiltersChange = useCallback(
    (patch: Partial<InboxFilterValues>) =>
      setFilters(current => ({ ...current, ...patch })),
    [],
  );
  const filter = useMemo(() => {
    const { risk, entity, owner } = filters;
    if (!risk && !entity && !owner) return undefined;
    return (p: OperationPlan) =>
      (!risk || p.risk.level === risk) &&
      (!entity || p.entityRef === entity) &&
      (!owner || p.ownerRef === owner);
  }, [filters]);
  return { filters, onFiltersChange, filter };
}

/** The plans ticked in the list, and rejecting them all with one comment. */
export function useBatchReject(refresh: () => void) {
  const api = useApi(kubecopilotApiRef);
  const [selected, setSelected] = useState<OperationPlan[]>([]);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const rejectSelected = async () => {
    setBusy(true);
    const failures: string[] = [];
    for (const p of selected) {
      try {
        await api.rejectPlan(p.id, comment.trim());
      } catch (e) {
        failures.push(`${p.id}: ${describeError(e as Error).message}`);
      }
    }
    setErrors(failures);
    setBusy(false);
    setComment('');
    setSelected([]);
    refresh();
  };
  return {
    selected,
    setSelected,
    comment,
    setComment,
    busy,
    errors,
    rejectSelected,
  };
}

/** The state and action {@link useBatchReject} gives. */
export type BatchReject = ReturnType<typeof useBatchReject>;

function countByRisk(plans: OperationPlan[]) {
  const counts: Record<RiskLevel, number> = { low: 0, medium: 0, high: 0 };
  for (const p of plans) counts[p.risk.level] += 1;
  return counts;
}

/** The choices of a select over entity refs (entities, owners) in the listed plans. */
function refOptions(anyLabel: string, refs: string[]) {
  return [
    { value: '', label: anyLabel },
    ...refs.map(ref => ({ value: ref, label: ref })),
  ];
}

/** How many plans wait at each risk level, the high ones stressed. */
function RiskCounts(props: { counts: Record<RiskLevel, number> }) {
  const { counts } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Box display="flex" data-testid="risk-counts" style={{ gap: 4 }}>
      {(['high', 'medium', 'low'] as const).map(level => (
        <Chip
          key={level}
          size="small"
          label={t('inbox.riskCount', {
            count: counts[level],
            level: t(`plans.risk.${level}`),
          })}
          color={level === 'high' && counts.high ? 'secondary' : 'default'}
        />
      ))}
    </Box>
  );
}

/** The reason and button that reject the ticked plans, shown when any are. */
function BatchRejectControls(props: { batch: BatchReject }) {
  const { selected, comment, setComment, busy, rejectSelected } = props.batch;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (selected.length === 0) return null;
  return (
    <>
      <TextField
        id="batch-reject-comment"
        label={t('inbox.rejectReason')}
        size="small"
        variant="outlined"
        value={comment}
        onChange={e => setComment(e.target.value)}
      />
      <Button
        color="secondary"
        variant="contained"
        disabled={!comment.trim() || busy}
        onClick={rejectSelected}
      >
        {busy
          ? t('inbox.rejecting')
          : t('inbox.reject', { count: selected.length })}
      </Button>
    </>
  );
}

/** Above the pending plans: filters, counts by risk and the batch reject. */
export function InboxHeader(props: {
  plans: OperationPlan[];
  filters: InboxFilterValues;
  onChange: (patch: Partial<InboxFilterValues>) => void;
  batch: BatchReject;
}) {
  const { plans, filters, onChange } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const counts = countByRisk(plans);
  const entities = [...new Set(plans.map(p => p.entityRef))].sort();
  const owners = [
    ...new Set(plans.map(p => p.ownerRef).filter((o): o is string => !!o)),
  ].sort();
  return (
    <PlanFilters
      risk={filters.risk}
      onRiskChange={risk => onChange({ risk })}
      riskCounts={counts}
    >
      <FilterSelect
        id="plan-filter-entity"
        label={t('inbox.entity')}
        options={refOptions(t('inbox.anyEntity'), entities)}
        value={filters.entity}
        onChange={entity => onChange({ entity })}
        minWidth={200}
      />
      <FilterSelect
        id="plan-filter-owner"
        label={t('inbox.owner')}
        options={refOptions(t('inbox.anyOwner'), owners)}
        value={filters.owner}
        onChange={owner => onChange({ owner })}
        minWidth={200}
      />
      <RiskCounts counts={counts} />
      <BatchRejectControls batch={props.batch} />
    </PlanFilters>
  );
}
