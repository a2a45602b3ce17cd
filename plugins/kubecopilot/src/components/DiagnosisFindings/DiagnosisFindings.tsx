import {
  StatusError,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import {
  Finding,
  FindingEvidence,
  Severity,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ReactNode } from 'react';
import { kubecopilotTranslationRef } from '../../translation';
import { DiagnosisPlanButton } from '../DiagnosisPlanButton';
import { KubernetesTabLink } from '../KubernetesTabLink';
import { groupFindingsByWorkload } from './grouping';
import { Timestamp, isIsoTimestamp } from '../Timestamp';

const useStyles = makeStyles(theme => ({
  group: {
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  finding: {
    borderTop: `1px solid ${theme.palette.divider}`,
    paddingTop: theme.spacing(1.5),
    marginTop: theme.spacing(1.5),
  },
  evidence: {
    margin: theme.spacing(1, 0),
    paddingLeft: theme.spacing(2.5),
    '& > li': { marginBottom: theme.spacing(0.5) },
  },
  log: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    whiteSpace: 'pre',
    maxHeight: 240,
    overflow: 'auto',
    margin: theme.spacing(0.5, 0, 0),
    padding: theme.spacing(1),
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  code: { fontFamily: 'monospace' },
}));

/** The severity as a status dot and a word, so it does not rely on colour. */
export function SeverityStatus(props: { severity: Severity }) {
  const { severity } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const word = t(`findings.severity.${severity}`);
  switch (severity) {
    case 'critical':
    case 'error':
      return <StatusError>{word}</StatusError>;
    case 'warning':
      return <StatusWarning>{word}</StatusWarning>;
    default:
      return <StatusPending>{word}</StatusPending>;
  }
}

function Evidence(props: { evidence: FindingEvidence }) {
  const { evidence } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (evidence.type === 'log') {
    return (
      <>
        <Typography variant="body2" component="span">
          {evidence.path ? (
            <>
              {t('findings.logExcerptFrom')}{' '}
              <code className={classes.code}>{evidence.path}</code>
            </>
          ) : (
            t('findings.logExcerpt')
          )}
          {evidence.message ? `: ${evidence.message}` : ''}
        </Typography>
        {/* A scrollable block must take focus, or keyboard users cannot scroll it. */}
        <pre
          className={classes.log}
          aria-label={t('findings.logExcerptLabel')}
          // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
          tabIndex={0}
        >
          {(evidence.lines ?? []).join('\n')}
        </pre>
      </>
    );
  }
  if (evidence.type === 'event') {
    return (
      <Typography variant="body2" component="span">
        {t('findings.event')}{' '}
        <strong>{evidence.reason ?? t('findings.unknownReason')}</strong>
        {evidence.count && evidence.count > 1 ? ` ×${evidence.count}` : ''}
        {evidence.message ? `: ${evidence.message}` : ''}
      </Typography>
    );
  }
  return (
    <Typography variant="body2" component="span">
      <code className={classes.code}>
        {evidence.path ?? t('findings.field')}
      </code>{' '}
      ={' '}
      <code className={classes.code}>
        {isIsoTimestamp(evidence.value) ? (
          <Timestamp iso={evidence.value} />
        ) : (
          evidence.value ?? ''
        )}
      </code>
      {evidence.message ? ` (${evidence.message})` : ''}
    </Typography>
  );
}

function FindingItem(props: { finding: Finding; entityRef: string }) {
  const { finding, entityRef } = props;
  const classes = useStyles();
  const { resource, proposedFix: fix } = finding;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const object = `${resource.kind} ${
    resource.namespace ? `${resource.namespace}/` : ''
  }${resource.name}`;
  return (
    <Box
      className={classes.finding}
      aria-label={t('findings.findingLabel', { code: finding.code })}
    >
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <SeverityStatus severity={finding.severity} />
        <Chip size="small" label={finding.code} />
        <Typography variant="body2" color="textSecondary">
          {object}
          {finding.container
            ? ` · ${t('findings.container', { name: finding.container })}`
            : ''}
        </Typography>
      </Box>
      <Typography variant="body1">{finding.message}</Typography>
      <KubernetesTabLink resource={finding.resource} />
      {finding.evidence.length > 0 && (
        <ul className={classes.evidence}>
          {finding.evidence.map((evidence, i) => (
            <li key={i}>
              <Evidence evidence={evidence} />
            </li>
          ))}
        </ul>
      )}
      {fix && (
        <Box mt={1}>
          <Typography variant="body2">
            <strong>{t('findings.proposedFix')}</strong> {fix.description}
          </Typography>
          {fix.action && fix.target && (
            <Box mt={1}>
              <DiagnosisPlanButton
                request={{
                  entityRef,
                  action: fix.action,
                  resource: { cluster: finding.cluster, ...fix.target },
                  params: fix.params,
                  asks: fix.asks,
                  rationale: `${fix.description}\n\n${finding.code}: ${finding.message}`,
                }}
              />
            </Box>
          )}
        </Box>
      )}
    </Box>
  );
}

/**
 * Findings grouped by the workload they are about (a crash-looping pod is
 * shown under its Deployment), the most severe workload first.
 */
export function DiagnosisFindings(props: {
  findings: Finding[];
  entityRef: string;
  emptyMessage?: ReactNode;
}) {
  const { findings, entityRef, emptyMessage } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (findings.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {emptyMessage ?? t('findings.nothingWrong')}
      </Typography>
    );
  }
  return (
    <>
      {groupFindingsByWorkload(findings).map(group => (
        <Paper
          key={group.key}
          variant="outlined"
          className={classes.group}
          component="section"
          aria-label={`${group.kind} ${group.name}`}
        >
          <Box display="flex" alignItems="baseline" style={{ gap: 8 }}>
            <Typography variant="h6" component="h4">
              {group.kind} {group.name}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {[group.namespace, group.cluster].filter(Boolean).join(' · ')} ·{' '}
              {t('findings.findingCount', { count: group.findings.length })}
            </Typography>
          </Box>
          {group.findings.map((finding, i) => (
            <FindingItem key={i} finding={finding} entityRef={entityRef} />
          ))}
        </Paper>
      ))}
    </>
  );
}
