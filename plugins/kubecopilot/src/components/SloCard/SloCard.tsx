import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { SloStatus } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { kubecopilotMetricsApiRef } from '../../api/MetricsClient';
import { kubecopilotTranslationRef } from '../../translation';

const percent = (value: number, digits = 2) =>
  `${Number((value * 100).toFixed(digits)).toLocaleString('en-US', {
    maximumFractionDigits: digits,
  })}%`;

const times = (value: number | null) =>
  value === null ? '—' : `${Number(value.toFixed(1))}×`;

function Slo(props: { slo: SloStatus }) {
  const { slo } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const stateTitle: Record<Exclude<SloStatus['state'], 'ok'>, string> = {
    'no-data': t('slo.noData'),
    'not-configured': t('slo.notConfigured'),
    unreachable: t('slo.unreachable'),
    error: t('slo.error'),
  };
  const remaining = slo.errorBudgetRemaining;
  const exhausted = remaining !== null && remaining <= 0;
  return (
    <Box mb={3}>
      <Typography variant="h6" component="h3">
        {slo.displayName ?? slo.name}
      </Typography>
      {slo.description && (
        <Typography variant="body2" color="textSecondary">
          {slo.description}
        </Typography>
      )}
      <Typography variant="body2">
        {t('slo.objective')}: {percent(slo.target)} / {slo.timeWindow}
        {slo.sli !== null &&
          ` · ${t('slo.sli', { window: slo.timeWindow })}: ${percent(
            slo.sli,
            3,
          )}`}
      </Typography>
      {slo.state !== 'ok' && (
        <Alert severity={slo.state === 'no-data' ? 'info' : 'warning'}>
          <strong>{stateTitle[slo.state]}</strong>
          {slo.message ? `: ${slo.message}` : ''}
        </Alert>
      )}
      {remaining !== null && (
        <Box mt={1}>
          <Typography variant="body2">
            {t('slo.budget')}:{' '}
            <strong>
              {exhausted
                ? `${t('slo.exhausted')} (${percent(remaining, 1)})`
                : percent(remaining, 1)}
            </strong>
          </Typography>
          <LinearProgress
            variant="determinate"
            color={exhausted || remaining < 0.25 ? 'secondary' : 'primary'}
            value={Math.max(0, Math.min(100, remaining * 100))}
            aria-label={t('slo.budget')}
          />
        </Box>
      )}
      {slo.state === 'ok' && (
        <Box mt={1} display="flex" flexWrap="wrap" alignItems="center">
          <Typography variant="body2" component="span">
            {t('slo.burnRates')}:&nbsp;
          </Typography>
          {slo.burnRates.map(b => (
            <Box key={b.window} mr={1} component="span">
              <Chip size="small" label={`${b.window} ${times(b.value)}`} />
            </Box>
          ))}
          {slo.alerts
            .filter(a => a.firing)
            .map(a => (
              <Box key={a.name} mr={1} component="span">
                <Chip
                  size="small"
                  color="secondary"
                  label={t(
                    a.name === 'fast-burn' ? 'slo.fastBurn' : 'slo.slowBurn',
                    {
                      long: a.longWindow,
                      short: a.shortWindow,
                      threshold: String(a.threshold),
                    },
                  )}
                />
              </Box>
            ))}
        </Box>
      )}
    </Box>
  );
}

/**
 * The entity's OpenSLO SLOs: objective, SLI, error budget remaining and
 * burn rates; an invalid file is shown with its problems.
 *
 * @public
 */
export function SloCard(props: { entityRef: string }) {
  const { entityRef } = props;
  const api = useApi(kubecopilotMetricsApiRef);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const { value, loading, error } = useAsync(
    () => api.getSlos(entityRef),
    [api, entityRef],
  );

  let body;
  if (error) {
    body = <ResponseErrorPanel error={error} title={t('slo.loadError')} />;
  } else if (loading || !value) {
    body = <Progress />;
  } else if (!value.declared) {
    body = (
      <EmptyState
        missing="field"
        title={t('slo.notDeclared')}
        description={t('slo.notDeclaredDescription')}
      />
    );
  } else {
    body = (
      <>
        {value.problems.length > 0 && (
          <Box mb={2}>
            <WarningPanel title={t('slo.problems')} defaultExpanded>
              <ul>
                {value.problems.map(p => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </WarningPanel>
          </Box>
        )}
        {value.slos.map(slo => (
          <Slo key={slo.name} slo={slo} />
        ))}
        {value.source && (
          <Typography variant="caption" color="textSecondary">
            {t('slo.source', { source: value.source })}
          </Typography>
        )}
      </>
    );
  }
  return (
    <InfoCard title={t('slo.title')} subheader={t('slo.subheader')}>
      {body}
    </InfoCard>
  );
}
