import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  useApi,
  useApiHolder,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import {
  METRICS_RANGES,
  MetricsRange,
  WorkloadMetrics,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kubecopilotMetricsApiRef } from '../../api/MetricsClient';
import { kubecopilotTranslationRef } from '../../translation';
import { ClusterErrorsPanel } from '../ClusterErrorsPanel';
import { kubecopilotApiRef } from '../../api';
import { ChartMarker, MetricChart } from './MetricChart';
import { formatTime } from './format';

/** The audit actions drawn on the charts, and their labels. */
const MARKED: Record<string, string> = {
  'plan.executed': 'executed',
  'plan.failed': 'failed',
  'plan.reverted': 'reverted',
};

const RANGE_SECONDS: Record<MetricsRange, number> = {
  '1h': 3600,
  '6h': 6 * 3600,
  '24h': 24 * 3600,
  '7d': 7 * 24 * 3600,
};

function WorkloadCharts(props: {
  workload: WorkloadMetrics;
  range: MetricsRange;
  markers: ChartMarker[];
}) {
  const { workload, range, markers } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const heading = `${workload.kind} ${workload.namespace}/${workload.name} · ${workload.cluster}`;
  const stateTitle = {
    'not-configured': t('metrics.notConfigured'),
    unreachable: t('metrics.unreachable'),
    'no-series': t('metrics.noSeries'),
  };
  return (
    <Box mb={3}>
      <Typography variant="h6" component="h3">
        {heading}
      </Typography>
      {workload.state !== 'ok' && (
        <Alert severity={workload.state === 'unreachable' ? 'error' : 'info'}>
          <strong>{stateTitle[workload.state]}</strong>
          {workload.message ? `: ${workload.message}` : ''}
        </Alert>
      )}
      {workload.state === 'ok' && (
        <Grid container spacing={2}>
          {workload.panels.map(panel => (
            <Grid item xs={12} md={6} key={panel.id}>
              <MetricChart
                panel={panel}
                title={t(`metrics.panels.${panel.id}`)}
                noData={t('metrics.noData')}
                rangeSeconds={RANGE_SECONDS[range]}
                markers={markers}
              />
            </Grid>
          ))}
        </Grid>
      )}
    </Box>
  );
}

/**
 * The entity's workloads charted from Prometheus over a chosen range: CPU
 * and memory against their requests and limits, throttling, restarts,
 * replicas, request rate, error ratio and p99 latency.
 *
 * @public
 */
export function MetricsCard(props: { entityRef: string }) {
  const { entityRef } = props;
  const api = useApi(kubecopilotMetricsApiRef);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const [range, setRange] = useState<MetricsRange>('1h');
  const { value, loading, error } = useAsyncRetry(
    () => api.getMetrics(entityRef, range),
    [api, entityRef, range],
  );
  // The entity's plan executions from the audit trail, when the caller may
  // read it; the charts stand without them.
  const plansApi = useApiHolder().get(kubecopilotApiRef);
  const { value: audit } = useAsyncRetry(
    async () =>
      plansApi?.getAudit({ entityRef, limit: 200 }).catch(() => undefined),
    [plansApi, entityRef],
  );
  const markers: ChartMarker[] = [];
  if (value) {
    const [from, to] = [Date.parse(value.start), Date.parse(value.end)];
    for (const entry of audit?.items ?? []) {
      const at = Date.parse(entry.createdAt);
      if (MARKED[entry.action] && at >= from && at <= to) {
        markers.push({ at, label: `plan ${MARKED[entry.action]}` });
      }
    }
  }

  let body;
  if (error) {
    body = <ResponseErrorPanel error={error} title={t('metrics.loadError')} />;
  } else if (loading || !value) {
    body = <Progress />;
  } else if (value.workloads.length === 0) {
    body = (
      <>
        <ClusterErrorsPanel errors={value.errors} />
        <EmptyState
          missing="data"
          title={t('metrics.empty')}
          description={t('metrics.emptyDescription')}
        />
      </>
    );
  } else {
    body = (
      <>
        <ClusterErrorsPanel errors={value.errors} />
        {markers.length > 0 && (
          <Typography variant="caption" color="textSecondary" component="p">
            {t('metrics.markers', {
              list: markers
                .map(m => `${m.label} ${formatTime(m.at, true)}`)
                .join(', '),
            })}
          </Typography>
        )}
        {value.workloads.map(w => (
          <WorkloadCharts
            key={`${w.cluster}/${w.kind}/${w.namespace}/${w.name}`}
            workload={w}
            range={range}
            markers={markers}
          />
        ))}
      </>
    );
  }

  return (
    <InfoCard
      title={t('metrics.title')}
      subheader={t('metrics.subheader')}
      action={
        <ToggleButtonGroup
          size="small"
          exclusive
          value={range}
          aria-label={t('metrics.range')}
          onChange={(_e, next: MetricsRange | null) => next && setRange(next)}
        >
          {METRICS_RANGES.map(r => (
            <ToggleButton key={r} value={r} aria-label={r}>
              {r}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      }
    >
      {body}
    </InfoCard>
  );
}
