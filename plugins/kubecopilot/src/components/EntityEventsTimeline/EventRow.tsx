import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  EntityEvent,
  PlanMarker,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Link } from '@backstage/core-components';
import { useLocation } from 'react-router-dom';
import { kubecopilotTranslationRef, tOr } from '../../translation';
import { plansTabPath } from '../DiagnosisPlanButton';
import { RiskChip } from '../PlansTable';
import { Timestamp } from '../Timestamp';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    gap: theme.spacing(1.5),
    paddingBottom: theme.spacing(1.5),
  },
  rail: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    paddingTop: theme.spacing(0.75),
  },
  dot: {
    width: 10,
    height: 10,
    borderRadius: '50%',
    flexShrink: 0,
    backgroundColor: theme.palette.text.disabled,
  },
  warningDot: { backgroundColor: theme.palette.warning.main },
  markerDot: { backgroundColor: theme.palette.primary.main },
  line: {
    flexGrow: 1,
    width: 2,
    marginTop: theme.spacing(0.5),
    backgroundColor: theme.palette.divider,
  },
  body: { minWidth: 0, flexGrow: 1 },
  head: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  time: { color: theme.palette.text.secondary, whiteSpace: 'nowrap' },
  warningChip: {
    color: theme.palette.warning.dark,
    borderColor: theme.palette.warning.main,
  },
  reason: { fontWeight: theme.typography.fontWeightMedium as number },
  object: {
    color: theme.palette.text.secondary,
    // Pod names break at their dashes, not mid-word.
    overflowWrap: 'anywhere',
  },
  // Cluster text, shown as written: no markup, no links, whitespace kept.
  message: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
}));

function Rail(props: { kind: 'warning' | 'normal' | 'marker' }) {
  const classes = useStyles();
  let dot = classes.dot;
  if (props.kind === 'warning') dot = `${classes.dot} ${classes.warningDot}`;
  if (props.kind === 'marker') dot = `${classes.dot} ${classes.markerDot}`;
  return (
    <Box className={classes.rail} aria-hidden>
      <span className={dot} />
      <span className={classes.line} />
    </Box>
  );
}

/** One Kubernetes event: when, how bad, what, on which object, how often, and its message. */
export function EventRow(props: { event: EntityEvent }) {
  const { event } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const warning = event.type === 'Warning';
  const first = new Date(event.firstTime).toLocaleString();
  return (
    <li className={classes.row} data-testid="event-row">
      <Rail kind={warning ? 'warning' : 'normal'} />
      <Box className={classes.body}>
        <Box className={classes.head}>
          <Typography variant="body2" className={classes.time}>
            <Timestamp iso={event.lastTime} />
          </Typography>
          <Chip
            size="small"
            variant="outlined"
            label={tOr(t, `events.type.${event.type}`, event.type)}
            className={warning ? classes.warningChip : undefined}
          />
          <Typography
            variant="body2"
            component="span"
            className={classes.reason}
          >
            {event.reason}
          </Typography>
          <Typography
            variant="body2"
            component="span"
            className={classes.object}
          >
            {event.object.kind}/{event.object.name}
            {event.container &&
              ` · ${t('events.container', { name: event.container })}`}
          </Typography>
          {event.count > 1 && (
            <Typography
              variant="body2"
              component="span"
              title={t('events.countTitle', {
                count: event.count,
                first,
              })}
            >
              {t('events.count', { count: event.count })}
            </Typography>
          )}
        </Box>
        <Typography variant="body2" className={classes.message}>
          {event.message}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {t('events.where', {
            cluster: event.cluster,
            namespace: event.namespace,
          })}
          {event.source &&
            ` · ${t('events.reportedBy', { source: event.source })}`}
        </Typography>
      </Box>
    </li>
  );
}

/** A plan KubeCopilot executed or reverted for the entity, between the events. */
export function MarkerRow(props: { marker: PlanMarker }) {
  const { marker } = props;
  const classes = useStyles();
  // The timeline sits on the AI Diagnose tab; the plan opens on Operation Plans.
  const location = useLocation();
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const what = {
    action: tOr(t, `plans.action.${marker.action}`, marker.action),
    kind: marker.resource.kind,
    name: marker.resource.name,
  };
  return (
    <li className={classes.row} data-testid="event-marker">
      <Rail kind="marker" />
      <Box className={classes.body}>
        <Box className={classes.head}>
          <Typography variant="body2" className={classes.time}>
            <Timestamp iso={marker.at} />
          </Typography>
          <Chip size="small" color="primary" label={t('events.marker.label')} />
          {marker.risk ? <RiskChip level={marker.risk} /> : null}
          <Typography
            variant="body2"
            component="span"
            className={classes.reason}
          >
            {marker.what === 'executed'
              ? t('events.marker.executed', what)
              : t('events.marker.reverted', what)}
          </Typography>
        </Box>
        <Typography variant="caption" color="textSecondary">
          {marker.by && <>{t('events.marker.by', { who: marker.by })} · </>}
          <Link to={plansTabPath(location.pathname, marker.planId)}>
            {t('events.marker.open')}
          </Link>
        </Typography>
      </Box>
    </li>
  );
}
