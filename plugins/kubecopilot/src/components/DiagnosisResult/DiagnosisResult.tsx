import { WarningPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Diagnosis,
  Recommendation,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import MemoryIcon from '@material-ui/icons/Memory';
import RuleIcon from '@material-ui/icons/PlaylistAddCheck';
import { DiagnosisFindings } from '../DiagnosisFindings';
import {
  DiagnosisHeadline,
  RootCauseFindings,
} from '../DiagnosisCard/RootCause';
import { DiagnosisPlanButton } from '../DiagnosisPlanButton';
import { Timestamp } from '../Timestamp';
import { actionLabel } from '../PlansTable/PlansTable';
import { KubecopilotT, kubecopilotTranslationRef } from '../../translation';

/** "AI (gpt-4o-mini, diagnose-v1)" or "Rules". */
export function describeSource(diagnosis: Diagnosis, t: KubecopilotT): string {
  if (diagnosis.source === 'rules') {
    return t('diagnose.result.sourceRules');
  }
  const details = [diagnosis.model, diagnosis.promptVersion].filter(Boolean);
  return details.length > 0
    ? t('diagnose.result.sourceAiWith', { details: details.join(', ') })
    : t('diagnose.result.sourceAi');
}

const number = new Intl.NumberFormat('en');

/** "1,200 prompt + 180 completion tokens; context sent 3,000 of 12,000 characters (25%)". */
export function describeUsage(
  usage: NonNullable<Diagnosis['usage']>,
  t: KubecopilotT,
): string {
  const tokens = t('diagnose.result.tokens', {
    prompt: number.format(usage.promptTokens),
    completion: number.format(usage.completionTokens),
  });
  const { rawContextChars: raw, sentContextChars: sent } = usage;
  if (raw === undefined || sent === undefined || raw <= 0) {
    return tokens;
  }
  const percent = Math.round((sent / raw) * 100);
  return t('diagnose.result.tokensWithContext', {
    tokens,
    sent: number.format(sent),
    raw: number.format(raw),
    percent: String(percent),
  });
}

function SourceBadge(props: { diagnosis: Diagnosis }) {
  const { diagnosis } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const label = describeSource(diagnosis, t);
  return (
    <Chip
      size="small"
      color={diagnosis.source === 'llm' ? 'primary' : 'default'}
      icon={diagnosis.source === 'llm' ? <MemoryIcon /> : <RuleIcon />}
      label={label}
      aria-label={t('diagnose.result.answeredBy', { source: label })}
    />
  );
}

function RecommendationItem(props: {
  recommendation: Recommendation;
  entityRef: string;
}) {
  const { recommendation: rec, entityRef } = props;
  const target = rec.target;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const targetOptions = target && {
    action: rec.action ? actionLabel(rec.action, t) : '',
    kind: target.kind ?? '',
    name: `${target.namespace ? `${target.namespace}/` : ''}${target.name}`,
    cluster: target.cluster ?? '',
  };
  return (
    <ListItem divider alignItems="flex-start" component="li">
      <ListItemText
        primary={rec.title}
        secondary={
          <>
            {rec.detail && (
              <Typography variant="body2" component="span" display="block">
                {rec.detail}
              </Typography>
            )}
            {rec.action && target && (
              <Typography
                variant="caption"
                component="span"
                display="block"
                color="textSecondary"
              >
                {target.cluster
                  ? t('diagnose.result.targetIn', targetOptions!)
                  : t('diagnose.result.target', targetOptions!)}
              </Typography>
            )}
          </>
        }
      />
      {rec.action && target && (
        <Box ml={2} flexShrink={0}>
          <DiagnosisPlanButton
            request={{
              entityRef,
              action: rec.action,
              resource: target,
              params: rec.params,
              asks: rec.asks,
              rationale: [rec.title, rec.detail].filter(Boolean).join('\n\n'),
            }}
          />
        </Box>
      )}
    </ListItem>
  );
}

/** What the diagnosis says first: healthy banner, headline or summary, and root cause. */
function DiagnosisHeader(props: { diagnosis: Diagnosis; healthy: boolean }) {
  const { diagnosis, healthy } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Box>
      {healthy && (
        <Alert severity="success" data-testid="diagnosis-healthy">
          <AlertTitle>{t('diagnose.result.healthyTitle')}</AlertTitle>
          {diagnosis.summary} {t('diagnose.result.healthy')}
        </Alert>
      )}
      {!healthy && diagnosis.headline && (
        <>
          <DiagnosisHeadline diagnosis={diagnosis} />
          {/* The rules' summary repeats the findings below; a model's explains them. */}
          {diagnosis.source === 'llm' && (
            <Box mt={1}>
              <Typography variant="body2">{diagnosis.summary}</Typography>
            </Box>
          )}
        </>
      )}
      {!healthy && !diagnosis.headline && (
        <Typography variant="h5" component="h3">
          {diagnosis.summary}
        </Typography>
      )}
      {diagnosis.rootCause && (
        <Typography variant="body1">
          <strong>{t('diagnose.result.rootCause')}</strong>{' '}
          {diagnosis.rootCause}
        </Typography>
      )}
    </Box>
  );
}

/** Where the answer came from (source badge, time) and why the rules answered instead. */
function DiagnosisProvenance(props: { diagnosis: Diagnosis }) {
  const { diagnosis } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <>
      <Box
        mt={1}
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <SourceBadge diagnosis={diagnosis} />
        <Typography variant="caption" color="textSecondary">
          <Timestamp iso={diagnosis.createdAt} format="locale" />
        </Typography>
      </Box>

      {diagnosis.source === 'rules' && diagnosis.fallbackReason && (
        <Box mt={2}>
          <Alert severity="info">
            {t('diagnose.result.fallback', {
              reason: diagnosis.fallbackReason.replace(/\.$/, ''),
            })}
          </Alert>
        </Box>
      )}
    </>
  );
}

/** The reads that failed, so a partial diagnosis is not mistaken for a complete one. */
function PartialDiagnosisPanel(props: { errors: string[] }) {
  const { errors } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Box mt={2}>
      <WarningPanel
        title={t('diagnose.result.partialTitle', {
          count: errors.length,
        })}
        message={t('diagnose.result.partialMessage')}
        defaultExpanded
      >
        <ul>
          {errors.map((error, i) => (
            <li key={i}>{error}</li>
          ))}
        </ul>
      </WarningPanel>
    </Box>
  );
}

/** Info-only notes when healthy, otherwise the findings (grouped by cause when linked). */
function DiagnosisEvidence(props: {
  diagnosis: Diagnosis;
  healthy: boolean;
  notes: Diagnosis['findings'];
  linked: boolean;
}) {
  const { diagnosis, healthy, notes, linked } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (healthy) {
    return notes.length > 0 ? (
      <Box mt={3} data-testid="diagnosis-notes">
        <Typography variant="h6" component="h3">
          {t('diagnose.result.notes')}
        </Typography>
        <Typography variant="body2" color="textSecondary" gutterBottom>
          {t('diagnose.result.notesHint')}
        </Typography>
        <DiagnosisFindings findings={notes} entityRef={diagnosis.entityRef} />
      </Box>
    ) : null;
  }
  return (
    <Box mt={3}>
      <Typography variant="h6" component="h3" gutterBottom>
        {t('diagnose.result.findings')}
      </Typography>
      {linked ? (
        <RootCauseFindings
          findings={diagnosis.findings}
          entityRef={diagnosis.entityRef}
        />
      ) : (
        <DiagnosisFindings
          findings={diagnosis.findings}
          entityRef={diagnosis.entityRef}
          emptyMessage={t('diagnose.result.noFindings')}
        />
      )}
    </Box>
  );
}

/** What to do about it: one item (with its plan button) per recommendation. */
function RecommendationsSection(props: {
  recommendations: Recommendation[];
  entityRef: string;
}) {
  const { recommendations, entityRef } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Box mt={3}>
      <Typography variant="h6" component="h3">
        {t('diagnose.result.recommendations')}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {t('diagnose.result.recommendationsHint')}
      </Typography>
      <List aria-label={t('diagnose.result.recommendationsLabel')}>
        {recommendations.map((recommendation, i) => (
          <RecommendationItem
            key={i}
            recommendation={recommendation}
            entityRef={entityRef}
          />
        ))}
      </List>
    </Box>
  );
}

/**
 * Recommendations worth showing: when findings are linked to causes, those
 * causes show their fix beside them (in words, and as a plan when it has
 * one), so a recommendation that only repeats a cause's fix would say it
 * twice. Other one-click plans (a rollback) always stay.
 */
function visibleRecommendations(
  diagnosis: Diagnosis,
  linked: boolean,
): Recommendation[] {
  if (!linked) {
    return diagnosis.recommendations;
  }
  const shownBesideItsCause = (r: Recommendation) =>
    diagnosis.findings.some(f => {
      const fix = f.proposedFix;
      if (!fix?.description.startsWith(r.title)) return false;
      if (!r.action) return true;
      return (
        !f.causedBy &&
        fix.action === r.action &&
        fix.target?.kind === r.target?.kind &&
        fix.target?.name === r.target?.name
      );
    });
  return diagnosis.recommendations.filter(r => !shownBesideItsCause(r));
}

/**
 * One diagnosis: what is wrong first, then where the answer came from, what
 * is missing from it, the evidence, and what to do about it.
 */
export function DiagnosisResult(props: { diagnosis: Diagnosis }) {
  const { diagnosis } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const partial = diagnosis.errors.length > 0;
  // Nothing found in everything that could be read: say so calmly, in
  // green, instead of a headline and an empty "Findings" section.
  // Info findings are context (a rollout in progress, a container that
  // recovered hours ago): with nothing else, the workloads are healthy.
  const notes = diagnosis.findings.filter(f => f.severity === 'info');
  const healthy = notes.length === diagnosis.findings.length && !partial;
  const linked = diagnosis.findings.some(f => f.id);
  const recommendations = visibleRecommendations(diagnosis, linked);
  return (
    <Box>
      <DiagnosisHeader diagnosis={diagnosis} healthy={healthy} />
      <DiagnosisProvenance diagnosis={diagnosis} />
      {partial && <PartialDiagnosisPanel errors={diagnosis.errors} />}
      <DiagnosisEvidence
        diagnosis={diagnosis}
        healthy={healthy}
        notes={notes}
        linked={linked}
      />
      {recommendations.length > 0 && (
        <RecommendationsSection
          recommendations={recommendations}
          entityRef={diagnosis.entityRef}
        />
      )}
      {diagnosis.usage && (
        <Box mt={2}>
          <Typography variant="caption" color="textSecondary">
            {t('diagnose.result.usage', {
              usage: describeUsage(diagnosis.usage, t),
            })}
          </Typography>
        </Box>
      )}
    </Box>
  );
}
