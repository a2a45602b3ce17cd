import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { kubecopilotTranslationRef } from '../../translation';
import { describeError } from '../DiagnosisPlanButton';
import { ManifestEditorState } from './useManifestEditor';

/**
 * The model's view of the manifest, asked for on demand (it costs tokens):
 * the points that passed the backend's grounding, with where they came
 * from, how many were left out, or why there are none.
 */
export function ModelExplanation(props: { editor: ManifestEditorState }) {
  const { editor } = props;
  const { explainState: state } = editor;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const answer = state.value;
  return (
    <Box mt={2} aria-label={t('yaml.model.title')} component="section">
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="h6">{t('yaml.model.title')}</Typography>
        {!answer || editor.explanationStale ? (
          <Button
            variant="outlined"
            size="small"
            disabled={state.loading}
            onClick={editor.askModel}
          >
            {answer ? t('yaml.model.askAgain') : t('yaml.model.ask')}
          </Button>
        ) : null}
        {state.loading ? <CircularProgress size={18} /> : null}
      </Box>
      {state.error ? (
        <Alert severity="error" role="alert">
          {t('yaml.model.failed', { error: describeError(state.error) })}
        </Alert>
      ) : null}
      {answer && !answer.ok ? (
        <Alert severity="info">
          {t('yaml.model.unavailable', { reason: answer.reason })}
        </Alert>
      ) : null}
      {answer?.ok ? (
        <>
          <Typography variant="caption" color="textSecondary" component="p">
            {t('yaml.model.source', {
              model: answer.model,
              promptVersion: answer.promptVersion,
            })}
          </Typography>
          <ul aria-label={t('yaml.model.title')}>
            {answer.points.map(p => (
              <li key={`${p.path}-${p.text.slice(0, 24)}`}>
                <Typography variant="body2">
                  <code>{p.path}</code> — {p.text}
                </Typography>
              </li>
            ))}
          </ul>
          {answer.dropped.length > 0 ? (
            <Typography
              variant="caption"
              color="textSecondary"
              component="p"
              title={answer.dropped.join('\n')}
            >
              {t('yaml.model.dropped', { count: answer.dropped.length })}
            </Typography>
          ) : null}
        </>
      ) : null}
    </Box>
  );
}
