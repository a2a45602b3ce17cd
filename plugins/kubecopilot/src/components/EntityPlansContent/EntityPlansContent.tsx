import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  PlanStatus,
  RiskLevel,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { useCallback, useState } from 'react';
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
        title="Operation plans"
        emptyTitle={
          status || risk
            ? 'No plans match the filters'
            : 'No operation plans yet'
        }
        emptyDescription="Plans appear here once one is created for this entity, from a diagnosis recommendation, a request in words, or a template. Each plan shows the exact change, its risk, and who has to approve it before anything touches the cluster."
      />
      <PlanReview
        planId={planId}
        onClose={() => setPlanId(undefined)}
        onChange={refresh}
      />
    </>
  );
}
