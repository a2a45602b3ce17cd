import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
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
import { MetricChart } from './MetricChart';

const RANGE_SECONDS: Record<MetricsRange, number> = {
  '1h': 3600,
  '6h': 6 * 3600,
  '24h': 24 * 3600,
  '7d': 7 * 24 * 3600,
};

function WorkloadCharts(props: {
  workload: WorkloadMetrics;
  range: MetricsRange;
}) {
  const { workload, range } = props;
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
        {value.workloads.map(w => (
          <WorkloadCharts
            key={`${w.cluster}/${w.kind}/${w.namespace}/${w.name}`}
            workload={w}
            range={range}
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
