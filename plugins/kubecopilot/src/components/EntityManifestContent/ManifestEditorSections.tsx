import { Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { kubecopilotTranslationRef } from '../../translation';
import { describeError } from '../DiagnosisPlanButton';
import { CheckList } from './CheckList';
import { ModelExplanation } from './ModelExplanation';
import { ManifestEditorState } from './useManifestEditor';

/** "Edit", or while editing "Create plan" / "Check again" / "Cancel", with a hint. */
export function ManifestToolbar(props: { editor: ManifestEditorState }) {
  const { editor } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const { editing, planDisabledReason } = editor;
  return (
    <Box
      display="flex"
      alignItems="center"
      flexWrap="wrap"
      style={{ gap: 8 }}
      mb={1}
    >
      {editing ? (
        <>
          <Button
            variant="contained"
            color="primary"
            disabled={
              !!planDisabledReason ||
              !editor.changed ||
              editor.planState.loading
            }
            onClick={editor.createPlan}
          >
            {t('yaml.createPlan')}
          </Button>
          <Button
            variant="outlined"
            disabled={editor.checkState.loading}
            onClick={editor.checkAgain}
          >
            {t('yaml.checkAgain')}
          </Button>
          <Button onClick={editor.cancel}>{t('common.cancel')}</Button>
        </>
      ) : (
        <Button
          variant="outlined"
          color="primary"
          onClick={editor.startEditing}
        >
          {t('yaml.edit')}
        </Button>
      )}
      <Typography variant="caption" color="textSecondary">
        {editing
          ? planDisabledReason ?? t('yaml.editHint')
          : t('yaml.readOnlyHint')}
      </Typography>
    </Box>
  );
}

/** The checks of the manifest: list with fixes, warnings and the explanation. */
export function ManifestChecks(props: { editor: ManifestEditorState }) {
  const { editor } = props;
  const { checkState } = editor;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Box mt={2}>
      <Typography variant="h6">{t('yaml.checksTitle')}</Typography>
      {checkState.loading ? <Progress /> : null}
      {checkState.error ? (
        <Alert severity="error" role="alert">
          {t('yaml.checksFailed', {
            error: describeError(checkState.error),
          })}
        </Alert>
      ) : null}
      {checkState.value ? (
        <>
          {checkState.value.warnings.map(w => (
            <Alert severity="warning" key={w}>
              {w}
            </Alert>
          ))}
          <CheckList
            checks={editor.checks}
            ranges={editor.ranges}
            fixDisabledReason={editor.planDisabledReason}
            onShowLine={editor.showLine}
            onApply={editor.applyFix}
          />
          <Typography variant="h6" style={{ marginTop: 16 }}>
            {t('yaml.explanationTitle')}
          </Typography>
          <ul aria-label="Explanation">
            {checkState.value.explanation.map(e => (
              <li key={`${e.topic}-${e.path}-${e.text.slice(0, 24)}`}>
                <Typography variant="body2">{e.text}</Typography>
              </li>
            ))}
          </ul>
          {checkState.value.modelCanExplain ? (
            <ModelExplanation editor={editor} />
          ) : null}
        </>
      ) : null}
    </Box>
  );
}
