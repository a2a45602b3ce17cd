import { StreamLanguage } from '@codemirror/language';
import { lintGutter } from '@codemirror/lint';
import { yaml as yamlMode } from '@codemirror/legacy-modes/mode/yaml';
import { EditorView } from '@codemirror/view';
import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { WorkloadManifest } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import CodeMirror from '@uiw/react-codemirror';
import { kubecopilotTranslationRef } from '../../translation';
import { describeError } from '../DiagnosisPlanButton';
import { ManifestChecks, ManifestToolbar } from './ManifestEditorSections';
import { lineHighlight } from './lineHighlight';
import { useManifestEditor } from './useManifestEditor';

export { diagnosticsFor } from './useManifestEditor';

const extensions = [
  StreamLanguage.define(yamlMode),
  lintGutter(),
  EditorView.lineWrapping,
  lineHighlight,
];

/**
 * One workload's manifest: read-only until "Edit", its checks as
 * annotations in the editor and as a list, and "Create plan" for an edit.
 * Creating a plan only drafts it: the review, risk and approvals follow.
 */
export function ManifestEditor(props: {
  entityRef: string;
  workload: WorkloadManifest;
}) {
  const { entityRef, workload } = props;
  const { resource } = workload;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const editor = useManifestEditor(entityRef, workload);
  const { editing, planState } = editor;

  return (
    <InfoCard
      title={`${resource.kind} ${resource.name}`}
      subheader={t('yaml.subheader', {
        namespace: resource.namespace ?? '',
        cluster: resource.cluster,
      })}
    >
      <ManifestToolbar editor={editor} />
      {planState.error ? (
        <Alert severity="error" role="alert" style={{ marginBottom: 8 }}>
          {t('yaml.planFailed', { error: describeError(planState.error) })}
        </Alert>
      ) : null}
      <Box
        data-testid="manifest-editor"
        data-editing={editing ? 'true' : 'false'}
        border={1}
        borderColor="divider"
      >
        <CodeMirror
          value={editor.text}
          editable={editing}
          readOnly={!editing}
          extensions={extensions}
          onChange={editor.setText}
          onCreateEditor={editor.setView}
          basicSetup={{ lineNumbers: true, foldGutter: true }}
          aria-label={t('yaml.editorLabel', {
            kind: resource.kind,
            name: resource.name,
          })}
        />
      </Box>
      <ManifestChecks editor={editor} />
    </InfoCard>
  );
}
