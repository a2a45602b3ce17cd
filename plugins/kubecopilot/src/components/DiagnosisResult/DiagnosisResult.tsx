import { WarningPanel } from '@backstage/core-components';
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

/** "AI (gpt-4o-mini, diagnose-v1)" or "Rules". */
export function describeSource(diagnosis: Diagnosis): string {
  if (diagnosis.source === 'rules') {
    return 'Rules';
  }
  const details = [diagnosis.model, diagnosis.promptVersion].filter(Boolean);
  return details.length > 0 ? `AI (${details.join(', ')})` : 'AI';
}

const number = new Intl.NumberFormat('en');

/** "1,200 prompt + 180 completion tokens; context sent 3,000 of 12,000 characters (25%)". */
export function describeUsage(usage: NonNullable<Diagnosis['usage']>): string {
  const tokens = `${number.format(usage.promptTokens)} prompt + ${number.format(
    usage.completionTokens,
  )} completion tokens`;
  const { rawContextChars: raw, sentContextChars: sent } = usage;
  if (raw === undefined || sent === undefined || raw <= 0) {
    return tokens;
  }
  const percent = Math.round((sent / raw) * 100);
  return `${tokens}; context sent ${number.format(sent)} of ${number.format(
    raw,
  )} characters (${percent}%)`;
}

function SourceBadge(props: { diagnosis: Diagnosis }) {
  const { diagnosis } = props;
  const label = describeSource(diagnosis);
  return (
    <Chip
      size="small"
      color={diagnosis.source === 'llm' ? 'primary' : 'default'}
      icon={diagnosis.source === 'llm' ? <MemoryIcon /> : <RuleIcon />}
      label={label}
      aria-label={`answered by ${label}`}
    />
  );
}

function RecommendationItem(props: {
  recommendation: Recommendation;
  entityRef: string;
}) {
  const { recommendation: rec, entityRef } = props;
  const target = rec.target;
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
                {rec.action} {target.kind}{' '}
                {target.namespace ? `${target.namespace}/` : ''}
                {target.name}
                {target.cluster ? ` in ${target.cluster}` : ''}
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
              rationale: [rec.title, rec.detail].filter(Boolean).join('\n\n'),
            }}
          />
        </Box>
      )}
    </ListItem>
  );
}

/**
 * One diagnosis: what is wrong first, then where the answer came from, what
 * is missing from it, the evidence, and what to do about it.
 */
export function DiagnosisResult(props: { diagnosis: Diagnosis }) {
  const { diagnosis } = props;
  const partial = diagnosis.errors.length > 0;
  // Nothing found in everything that could be read: say so calmly, in
  // green, instead of a headline and an empty "Findings" section.
  const healthy = diagnosis.findings.length === 0 && !partial;
  const linked = diagnosis.findings.some(f => f.id);
  // Causes show their fix in words beside them; a recommendation that only
  // repeats those words would say it twice. One-click plans always stay.
  const recommendations = linked
    ? diagnosis.recommendations.filter(
        r =>
          r.action ||
          !diagnosis.findings.some(f =>
            f.proposedFix?.description.startsWith(r.title),
          ),
      )
    : diagnosis.recommendations;
  return (
    <Box>
      <Box>
        {healthy && (
          <Alert severity="success" data-testid="diagnosis-healthy">
            <AlertTitle>All workloads healthy</AlertTitle>
            {diagnosis.summary} The analyzers found nothing wrong with these
            workloads; there is nothing to fix.
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
            <strong>Root cause:</strong> {diagnosis.rootCause}
          </Typography>
        )}
      </Box>
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
            The LLM was not used: {diagnosis.fallbackReason.replace(/\.$/, '')}.
            This answer comes from the rule-based analyzers.
          </Alert>
        </Box>
      )}

      {partial && (
        <Box mt={2}>
          <WarningPanel
            title={`Partial diagnosis: ${diagnosis.errors.length} ${
              diagnosis.errors.length === 1 ? 'part' : 'parts'
            } could not be gathered`}
            message="The findings below are based only on what could be read."
            defaultExpanded
          >
            <ul>
              {diagnosis.errors.map((error, i) => (
                <li key={i}>{error}</li>
              ))}
            </ul>
          </WarningPanel>
        </Box>
      )}

      {!healthy && (
        <Box mt={3}>
          <Typography variant="h6" component="h3" gutterBottom>
            Findings
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
              emptyMessage="No findings in what could be read; see what is missing above."
            />
          )}
        </Box>
      )}

      {recommendations.length > 0 && (
        <Box mt={3}>
          <Typography variant="h6" component="h3">
            Recommendations
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Create plan drafts a plan for review; nothing changes in the cluster
            until it is approved and executed.
          </Typography>
          <List aria-label="recommendations">
            {recommendations.map((recommendation, i) => (
              <RecommendationItem
                key={i}
                recommendation={recommendation}
                entityRef={diagnosis.entityRef}
              />
            ))}
          </List>
        </Box>
      )}

      {diagnosis.usage && (
        <Box mt={2}>
          <Typography variant="caption" color="textSecondary">
            Token usage: {describeUsage(diagnosis.usage)}
          </Typography>
        </Box>
      )}
    </Box>
  );
}
