import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  PlanStatus,
  RiskLevel,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useCallback, useState } from 'react';
import { kubecopilotTranslationRef } from '../../translation';
import { usePlanParam } from '../../hooks/usePlanParam';
import { PlanFilters } from '../PlanFilters';
import { PlanReview } from '../PlanReview';
import { PlansList } from '../PlansList';
import { PromptBar } from '../PromptBar';

/**
 * The "Operation Plans" entity tab: every plan made for this entity, a prompt
 * bar to ask or draft new ones, and the review of `?plan=<id>`.
 *
 * @public
 */
export function EntityPlansContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const [planId, setPlanId] = usePlanParam();
  const [status, setStatus] = useState<PlanStatus | ''>('');
  const [risk, setRisk] = useState<RiskLevel | ''>('');
  const [refreshKey, setRefreshKey] = useState(0);
  const refresh = useCallback(() => setRefreshKey(k => k + 1), []);
  const { t } = useTranslationRef(kubecopilotTranslationRef);

  return (
    <>
      <PromptBar
        entityRef={entityRef}
        onPlanCreated={created => {
          refresh();
          setPlanId(created.id);
        }}
      />
      <PlanFilters
        status={status}
        onStatusChange={setStatus}
        risk={risk}
        onRiskChange={setRisk}
      />
      <PlansList
        query={{ entityRef, status: status || undefined }}
        filter={risk ? p => p.risk.level === risk : undefined}
        onOpen={p => setPlanId(p.id)}
        refreshKey={refreshKey}
        title={t('entityPlans.title')}
        emptyTitle={
          status || risk ? t('entityPlans.noMatch') : t('entityPlans.empty')
        }
        emptyDescription={t('entityPlans.emptyDescription')}
      />
      <PlanReview
        planId={planId}
        onClose={() => setPlanId(undefined)}
        onChange={refresh}
      />
    </>
  );
}
