import {
  PlanStatus,
  RiskLevel,
  planStatusSchema,
  riskLevelSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { ReactNode } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';

/** @public */
export interface PlanFiltersProps {
  status?: PlanStatus | '';
  onStatusChange?: (status: PlanStatus | '') => void;
  risk: RiskLevel | '';
  onRiskChange: (risk: RiskLevel | '') => void;
  riskCounts?: Partial<Record<RiskLevel, number>>;
  children?: ReactNode;
}

/** Status and risk pickers above a plan list. */
export function PlanFilters(props: PlanFiltersProps) {
  const { status, onStatusChange, risk, onRiskChange, riskCounts } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Box display="flex" alignItems="center" mb={2} style={{ gap: 16 }}>
      {onStatusChange && (
        <TextField
          id="plan-filter-status"
          select
          label={t('plans.filters.status')}
          size="small"
          variant="outlined"
          value={status ?? ''}
          onChange={e => onStatusChange(e.target.value as PlanStatus | '')}
          style={{ minWidth: 160 }}
        >
          <MenuItem value="">{t('plans.filters.anyStatus')}</MenuItem>
          {planStatusSchema.options.map(s => (
            <MenuItem key={s} value={s}>
              {t(`plans.status.${s}`)}
            </MenuItem>
          ))}
        </TextField>
      )}
      <TextField
        id="plan-filter-risk"
        select
        label={t('plans.filters.risk')}
        size="small"
        variant="outlined"
        value={risk}
        onChange={e => onRiskChange(e.target.value as RiskLevel | '')}
        style={{ minWidth: 160 }}
      >
        <MenuItem value="">{t('plans.filters.anyRisk')}</MenuItem>
        {riskLevelSchema.options.map(level => (
          <MenuItem key={level} value={level}>
            {t(`plans.risk.${level}`)}
            {riskCounts ? ` (${riskCounts[level] ?? 0})` : ''}
          </MenuItem>
        ))}
      </TextField>
      {props.children}
    </Box>
  );
}
