import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';
import {
  OperationPlan,
  WorkloadSummary,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { kubecopilotApiRef } from '../../api';

/** How often the workload is read again while the review is open. */
export const ROLLOUT_POLL_MS = 2000;
/** Stop watching after this long; the user can reopen the review. */
const ROLLOUT_WATCH_MS = 120_000;

function matches(r: OperationPlan['resource'], w: WorkloadSummary) {
  return (
    w.cluster === r.cluster &&
    w.kind === r.kind &&
    w.name === r.name &&
    (!r.namespace || w.namespace === r.namespace)
  );
}

/**
 * The target workload as the cluster reports it right now, so the user sees
 * the rollout an executed plan started (or that it is still failing).
 */
export function RolloutProgress(props: { plan: OperationPlan }) {
  const { plan } = props;
  const { entityRef, status } = plan;
  // Re-reading the plan gives a new object; only a new target or status
  // restarts the watch.
  const target = JSON.stringify(plan.resource);
  const api = useApi(kubecopilotApiRef);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const [workload, setWorkload] = useState<WorkloadSummary | null>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let stopped = false;
    const started = Date.now();
    const read = async () => {
      try {
        const answer = await api.getWorkloads(entityRef);
        if (stopped) return;
        const resource = JSON.parse(target) as OperationPlan['resource'];
        setWorkload(answer.workloads.find(w => matches(resource, w)) ?? null);
        setError(undefined);
      } catch (e) {
        if (!stopped) setError((e as Error).message);
      }
    };
    read();
    const timer = setInterval(() => {
      if (Date.now() - started > ROLLOUT_WATCH_MS) {
        clearInterval(timer);
        return;
      }
      read();
    }, ROLLOUT_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api, entityRef, target, status]);

  if (error) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('steps.rollout.readError', { error })}
      </Typography>
    );
  }
  if (workload === undefined) {
    return <LinearProgress />;
  }
  if (workload === null) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('steps.rollout.gone')}
      </Typography>
    );
  }
  const phases = Object.entries(workload.podPhases)
    .map(([phase, count]) => `${count} ${phase}`)
    .join(', ');
  const value = workload.desired
    ? Math.min(100, (workload.ready / workload.desired) * 100)
    : 100;
  return (
    <Box data-testid="rollout-progress">
      <Typography variant="body2">
        {t('steps.rollout.now', {
          ready: String(workload.ready),
          desired: String(workload.desired),
        })}
        {phases ? t('steps.rollout.pods', { phases }) : ''}
        {workload.reasons.length > 0 ? ` · ${workload.reasons.join(', ')}` : ''}
      </Typography>
      <LinearProgress variant="determinate" value={value} />
    </Box>
  );
}
