import { Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { StreamLanguage } from '@codemirror/language';
import { yaml as yamlMode } from '@codemirror/legacy-modes/mode/yaml';
import { EditorView } from '@codemirror/view';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  kubecopilotPlanCreatePermission,
  ManifestCheck,
  WorkloadManifest,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import CodeMirror from '@uiw/react-codemirror';
import { useEffect, useMemo, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { kubecopilotApiRef } from '../../api';
import { kubecopilotTranslationRef } from '../../translation';
import { describeError, plansTabPath } from '../DiagnosisPlanButton';
import { CheckList } from './CheckList';
import { applySuggestion, rangeOfPath, TextRange } from './yamlPaths';

/** The kinds a plan may update (the backend's whitelist decides in the end). */
const PLANNABLE = ['Deployment', 'StatefulSet', 'DaemonSet'];

const extensions = [
  StreamLanguage.define(yamlMode),
  lintGutter(),
  EditorView.lineWrapping,
];

/** Check results as editor annotations, at the lines they point at. */
export function diagnosticsFor(
  text: string,
  checks: ManifestCheck[],
): { diagnostics: Diagnostic[]; ranges: Array<TextRange | undefined> } {
  const ranges = checks.map(c => rangeOfPath(text, c.path));
  const diagnostics = checks.flatMap((check, i) => {
    const range = ranges[i];
    if (!range) return [];
    return [
      {
        from: range.from,
        to: range.to,
        severity: check.severity,
        message: `${check.message}\nFix: ${check.fix}`,
        source: check.source,
      } as Diagnostic,
    ];
  });
  return { diagnostics, ranges };
}

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
  const api = useApi(kubecopilotApiRef);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const navigate = useNavigate();
  const location = useLocation();
  const planPermission = usePermission({
    permission: kubecopilotPlanCreatePermission,
  });
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(workload.manifest);
  const [view, setView] = useState<EditorView>();

  const request = useMemo(
    () => ({
      entityRef,
      resource: {
        cluster: resource.cluster,
        kind: resource.kind as any,
        namespace: resource.namespace,
        name: resource.name,
      },
    }),
    [entityRef, resource],
  );

  const [checkState, runCheck] = useAsyncFn(
    (manifest?: string) =>
      api.checkManifest(
        manifest === undefined ? request : { ...request, manifest },
      ),
    [api, request],
  );
  useEffect(() => {
    runCheck();
  }, [runCheck]);

  const [planState, createPlan] = useAsyncFn(async () => {
    const plan = await api.createPlan({
      entityRef,
      resource: request.resource,
      manifest: text,
    });
    navigate(plansTabPath(location.pathname, plan.id));
    return plan;
  }, [api, entityRef, request, text, navigate, location.pathname]);

  const checks = useMemo(
    () => checkState.value?.checks ?? [],
    [checkState.value],
  );
  const { diagnostics, ranges } = useMemo(
    () => diagnosticsFor(text, checks),
    [text, checks],
  );
  useEffect(() => {
    if (view) view.dispatch(setDiagnostics(view.state, diagnostics));
  }, [view, diagnostics]);

  const plannable = PLANNABLE.includes(resource.kind);
  let planDisabledReason: string | undefined;
  if (!plannable) {
    planDisabledReason = t('yaml.notPlannable', { kind: resource.kind });
  } else if (planPermission.loading) {
    planDisabledReason = t('yaml.checkingPermission');
  } else if (!planPermission.allowed) {
    planDisabledReason = t('yaml.notAllowed');
  }
  const changed = text !== workload.manifest;

  const showLine = (range: TextRange) => {
    view?.dispatch({
      selection: { anchor: range.from },
      effects: EditorView.scrollIntoView(range.from, { y: 'center' }),
    });
    view?.focus();
  };

  return (
    <InfoCard
      title={`${resource.kind} ${resource.name}`}
      subheader={t('yaml.subheader', {
        namespace: resource.namespace ?? '',
        cluster: resource.cluster,
      })}
    >
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
              disabled={!!planDisabledReason || !changed || planState.loading}
              onClick={() => createPlan()}
            >
              {t('yaml.createPlan')}
            </Button>
            <Button
              variant="outlined"
              disabled={checkState.loading}
              onClick={() => runCheck(text)}
            >
              {t('yaml.checkAgain')}
            </Button>
            <Button
              onClick={() => {
                setText(workload.manifest);
                setEditing(false);
                runCheck();
              }}
            >
              {t('common.cancel')}
            </Button>
          </>
        ) : (
          <Button
            variant="outlined"
            color="primary"
            onClick={() => setEditing(true)}
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
          value={text}
          editable={editing}
          readOnly={!editing}
          extensions={extensions}
          onChange={setText}
          onCreateEditor={setView}
          basicSetup={{ lineNumbers: true, foldGutter: true }}
          aria-label={t('yaml.editorLabel', {
            kind: resource.kind,
            name: resource.name,
          })}
        />
      </Box>
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
              checks={checks}
              ranges={ranges}
              fixDisabledReason={planDisabledReason}
              onShowLine={showLine}
              onApply={check => {
                if (!check.suggestion) return;
                const next = applySuggestion(text, check.suggestion);
                setEditing(true);
                setText(next);
                runCheck(next);
              }}
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
          </>
        ) : null}
      </Box>
    </InfoCard>
  );
}
