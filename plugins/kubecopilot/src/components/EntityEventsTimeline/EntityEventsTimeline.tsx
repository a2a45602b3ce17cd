import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  EntityEvent,
  EventsResponse,
  PlanMarker,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import IconButton from '@material-ui/core/IconButton';
import Switch from '@material-ui/core/Switch';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kubecopilotApiRef } from '../../api';
import { kubecopilotTranslationRef } from '../../translation';
import { EventRow, MarkerRow } from './EventRow';

/** Rows shown before "Show all". */
export const COLLAPSED_ROWS = 10;

type Entry =
  | { at: string; event: EntityEvent }
  | { at: string; marker: PlanMarker };

/** Events and plan marks in one line of time, newest first. */
function entriesOf(events: EntityEvent[], markers: PlanMarker[]): Entry[] {
  return [
    ...events.map(event => ({ at: event.lastTime, event })),
    ...markers.map(marker => ({ at: marker.at, marker })),
  ].sort((a, b) => b.at.localeCompare(a.at));
}

/** The events and marks of one answer: partial warning, rows, "Show all". */
function TimelineEntries(props: {
  response: EventsResponse;
  warningsOnly: boolean;
}) {
  const { response, warningsOnly } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const [showAll, setShowAll] = useState(false);
  // Plan marks belong to the whole timeline, not to "warnings only".
  const entries = entriesOf(
    response.items,
    warningsOnly ? [] : response.markers,
  );
  const shown = showAll ? entries : entries.slice(0, COLLAPSED_ROWS);
  return (
    <>
      {response.errors.length > 0 && (
        <Box mb={2}>
          <WarningPanel
            defaultExpanded
            title={t('events.partial')}
            message={t('events.partialMessage', {
              names: response.errors
                .map(e => e.cluster || t('events.marker.label'))
                .join(', '),
            })}
          >
            <ul>
              {response.errors.map(e => (
                <li key={`${e.cluster}:${e.message}`}>
                  {e.cluster && <strong>{e.cluster}: </strong>}
                  {e.message}
                </li>
              ))}
            </ul>
          </WarningPanel>
        </Box>
      )}
      {entries.length === 0 ? (
        <Typography color="textSecondary">
          {warningsOnly ? t('events.emptyWarnings') : t('events.empty')}
        </Typography>
      ) : (
        <Box
          component="ol"
          m={0}
          p={0}
          style={{ listStyle: 'none' }}
          aria-label={t('events.title')}
        >
          {shown.map(entry =>
            'event' in entry ? (
              <EventRow key={`e:${entry.event.uid}`} event={entry.event} />
            ) : (
              <MarkerRow
                key={`m:${entry.marker.planId}:${entry.marker.what}`}
                marker={entry.marker}
              />
            ),
          )}
        </Box>
      )}
      {entries.length > COLLAPSED_ROWS && (
        <Button size="small" onClick={() => setShowAll(!showAll)}>
          {showAll
            ? t('events.showFewer')
            : t('events.showAll', { count: entries.length })}
        </Button>
      )}
      {response.truncated && (
        <Typography variant="caption" color="textSecondary" component="p">
          {t('events.truncated', { count: response.items.length })}
        </Typography>
      )}
    </>
  );
}

/**
 * What Kubernetes reported about an entity's workloads — their Deployments,
 * ReplicaSets and Pods — newest first, with the plans KubeCopilot executed
 * or reverted among them. Messages are the cluster's text, shown as text.
 *
 * @public
 */
export function EntityEventsTimeline(props: { entityRef: string }) {
  const { entityRef } = props;
  const api = useApi(kubecopilotApiRef);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const [warningsOnly, setWarningsOnly] = useState(false);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getEvents(entityRef, warningsOnly ? { type: 'Warning' } : {}),
    [api, entityRef, warningsOnly],
  );

  const action = (
    <Box display="flex" alignItems="center">
      <FormControlLabel
        control={
          <Switch
            size="small"
            color="primary"
            checked={warningsOnly}
            onChange={(_e, checked) => setWarningsOnly(checked)}
          />
        }
        label={t('events.warningsOnly')}
      />
      <Tooltip title={t('events.refresh')}>
        <span>
          <IconButton
            aria-label={t('events.refresh')}
            onClick={retry}
            disabled={loading}
          >
            <RefreshIcon />
          </IconButton>
        </span>
      </Tooltip>
    </Box>
  );

  let content;
  if (error) {
    content = (
      <>
        <ResponseErrorPanel error={error} title={t('events.loadError')} />
        <Box mt={2}>
          <Button variant="outlined" color="primary" onClick={retry}>
            {t('events.tryAgain')}
          </Button>
        </Box>
      </>
    );
  } else if (!value) {
    content = <Progress />;
  } else {
    content = (
      <>
        {loading && <Progress />}
        <TimelineEntries response={value} warningsOnly={warningsOnly} />
      </>
    );
  }

  return (
    <InfoCard
      title={t('events.title')}
      subheader={t('events.subheader')}
      action={action}
    >
      {content}
    </InfoCard>
  );
}
