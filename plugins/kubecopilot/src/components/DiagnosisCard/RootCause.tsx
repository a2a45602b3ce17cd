import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Diagnosis,
  Finding,
  FindingEvidence,
  Severity,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import InfoOutlinedIcon from '@material-ui/icons/InfoOutlined';
import { DiagnosisPlanButton } from '../DiagnosisPlanButton';
import { KubernetesTabLink } from '../KubernetesTabLink';
import { SeverityStatus, workloadOf } from '../DiagnosisFindings';
import { KubecopilotT, kubecopilotTranslationRef } from '../../translation';

const useStyles = makeStyles(theme => ({
  cause: { padding: theme.spacing(2), marginBottom: theme.spacing(2) },
  header: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 8 },
  // Pod and container names are identifiers: break at their dashes, never mid-word.
  object: { overflowWrap: 'anywhere', wordBreak: 'normal' },
  note: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
  fold: {
    marginTop: theme.spacing(1),
    '&:before': { display: 'none' },
  },
  foldDetails: { display: 'block' },
  evidence: {
    margin: 0,
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
  symptom: {
    borderTop: `1px solid ${theme.palette.divider}`,
    paddingTop: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
  code: { fontFamily: 'monospace' },
}));

const SEVERITIES: Severity[] = ['critical', 'error', 'warning', 'info'];

/** A cause, the findings it explains, and the same cause in other replicas. */
export interface CauseGroup {
  cause: Finding;
  /** The same failure (code, container, workload) in other pods. */
  alsoIn: Finding[];
  symptoms: Finding[];
}

function rootOf(f: Finding, byId: Map<string, Finding>): Finding {
  let current = f;
  for (let i = 0; current.causedBy && i < byId.size; i++) {
    const next = byId.get(current.causedBy);
    if (!next) break;
    current = next;
  }
  return current;
}

/**
 * Findings as causes with their symptoms, in the backend's order (causes
 * first, worst tree first). Findings without links (older diagnoses, the
 * model's additions) are causes of their own.
 */
export function groupByCause(findings: Finding[]): CauseGroup[] {
  const byId = new Map<string, Finding>();
  for (const f of findings) if (f.id) byId.set(f.id, f);
  const groups: CauseGroup[] = [];
  const byRoot = new Map<Finding, CauseGroup>();
  const bySignature = new Map<string, CauseGroup>();
  for (const f of findings) {
    const root = rootOf(f, byId);
    if (root !== f) continue;
    const w = workloadOf(f);
    const signature = [f.cluster, f.code, f.container, w.kind, w.name].join(
      '|',
    );
    const same = bySignature.get(signature);
    if (same) {
      same.alsoIn.push(f);
      byRoot.set(f, same);
      continue;
    }
    const group = { cause: f, alsoIn: [], symptoms: [] };
    groups.push(group);
    byRoot.set(f, group);
    bySignature.set(signature, group);
  }
  for (const f of findings) {
    const root = rootOf(f, byId);
    if (root !== f) byRoot.get(root)?.symptoms.push(f);
  }
  return groups;
}

function objectText(f: Finding, t: KubecopilotT): string {
  const r = f.resource;
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}${
    f.container ? ` · ${t('findings.container', { name: f.container })}` : ''
  }`;
}

function EvidenceItem(props: { evidence: FindingEvidence }) {
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
      = <code className={classes.code}>{evidence.value ?? ''}</code>
      {evidence.message ? ` (${evidence.message})` : ''}
    </Typography>
  );
}

/** Folded by default: the sentence above says what is wrong, this shows why we think so. */
function Fold(props: { title: string; children: React.ReactNode }) {
  const classes = useStyles();
  return (
    <Accordion
      className={classes.fold}
      variant="outlined"
      square
      TransitionProps={{ unmountOnExit: false }}
    >
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Typography variant="body2">{props.title}</Typography>
      </AccordionSummary>
      <AccordionDetails className={classes.foldDetails}>
        {props.children}
      </AccordionDetails>
    </Accordion>
  );
}

function EvidenceFold(props: { finding: Finding }) {
  const classes = useStyles();
  const { evidence } = props.finding;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (evidence.length === 0) return null;
  return (
    <Fold title={t('findings.evidence', { count: evidence.length })}>
      <ul className={classes.evidence}>
        {evidence.map((e, i) => (
          <li key={i}>
            <EvidenceItem evidence={e} />
          </li>
        ))}
      </ul>
    </Fold>
  );
}

function SymptomItem(props: { finding: Finding }) {
  const { finding } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Box
      className={classes.symptom}
      component="li"
      aria-label={t('findings.symptomLabel', { code: finding.code })}
    >
      <Box className={classes.header}>
        <SeverityStatus severity={finding.severity} />
        <Chip size="small" label={finding.code} />
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.object}
        >
          {objectText(finding, t)}
        </Typography>
      </Box>
      <Typography variant="body2">{finding.message}</Typography>
      <KubernetesTabLink resource={finding.resource} />
      <EvidenceFold finding={finding} />
    </Box>
  );
}

function CauseCard(props: { group: CauseGroup; entityRef: string }) {
  const { group, entityRef } = props;
  const { cause, symptoms, alsoIn } = group;
  const classes = useStyles();
  const fix = cause.proposedFix;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Paper
      variant="outlined"
      className={classes.cause}
      component="section"
      aria-label={t('findings.findingLabel', { code: cause.code })}
    >
      <Box className={classes.header}>
        <SeverityStatus severity={cause.severity} />
        <Chip size="small" label={cause.code} />
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.object}
        >
          {objectText(cause, t)}
          {alsoIn.length > 0 &&
            ` · ${t('findings.alsoIn', { count: alsoIn.length })}`}
        </Typography>
      </Box>
      <Typography variant="body1">{cause.message}</Typography>
      <KubernetesTabLink resource={cause.resource} />
      {fix && (
        <Box mt={1}>
          <Typography variant="body2">
            <strong>{t('findings.whatHelps')}</strong> {fix.description}
          </Typography>
          {fix.note && (
            <Box className={classes.note}>
              <InfoOutlinedIcon fontSize="small" aria-hidden />
              <Typography variant="body2">{fix.note}</Typography>
            </Box>
          )}
          {fix.action && fix.target && (
            <Box mt={1}>
              <DiagnosisPlanButton
                request={{
                  entityRef,
                  action: fix.action,
                  resource: { cluster: cause.cluster, ...fix.target },
                  params: fix.params,
                  asks: fix.asks,
                  rationale: `${fix.description}\n\n${cause.code}: ${cause.message}`,
                }}
              />
            </Box>
          )}
        </Box>
      )}
      <EvidenceFold finding={cause} />
      {symptoms.length > 0 && (
        <Fold
          title={t('findings.causes', {
            count: symptoms.length,
            codes: [...new Set(symptoms.map(s => s.code))].join(', '),
          })}
        >
          <Box component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
            {symptoms.map((s, i) => (
              <SymptomItem key={s.id ?? i} finding={s} />
            ))}
          </Box>
        </Fold>
      )}
    </Paper>
  );
}

/**
 * The headline: one body-size sentence naming the cause, with how many
 * findings of each severity stand behind it.
 */
export function DiagnosisHeadline(props: { diagnosis: Diagnosis }) {
  const { diagnosis } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const counts = SEVERITIES.map(s => ({
    s,
    n: diagnosis.findings.filter(f => f.severity === s).length,
  })).filter(c => c.n > 0);
  return (
    <Box>
      <Typography
        variant="body1"
        component="p"
        data-testid="diagnosis-headline"
      >
        {diagnosis.headline}
      </Typography>
      <Box mt={1} display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        {counts.map(({ s, n }) => (
          <Chip
            key={s}
            size="small"
            variant="outlined"
            color={s === 'critical' || s === 'error' ? 'secondary' : 'default'}
            label={t('findings.severityCount', {
              count: n,
              severity: t(`findings.severity.${s}`),
            })}
          />
        ))}
      </Box>
    </Box>
  );
}

/** Findings as causes, each with its fix, evidence and symptoms folded under it. */
export function RootCauseFindings(props: {
  findings: Finding[];
  entityRef: string;
}) {
  return (
    <>
      {groupByCause(props.findings).map((group, i) => (
        <CauseCard
          key={group.cause.id ?? i}
          group={group}
          entityRef={props.entityRef}
        />
      ))}
    </>
  );
}
