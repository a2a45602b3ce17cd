import { Diagnostic, setDiagnostics } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  kubecopilotPlanCreatePermission,
  ManifestCheck,
  ManifestCheckRequest,
  WorkloadManifest,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { useEffect, useMemo, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { kubecopilotApiRef } from '../../api';
import { kubecopilotTranslationRef } from '../../translation';
import { plansTabPath } from '../DiagnosisPlanButton';
import { highlightLineAt } from './lineHighlight';
import { applySuggestion, rangeOfPath, TextRange } from './yamlPaths';

/** The kinds a plan may update (the backend's whitelist decides in the end). */
const PLANNABLE = ['Deployment', 'StatefulSet', 'DaemonSet'];

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

/** Why "Create plan" (and applying a fix) is disabled, or undefined when it is not. */
function usePlanDisabledReason(kind: string): string | undefined {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const planPermission = usePermission({
    permission: kubecopilotPlanCreatePermission,
  });
  if (!PLANNABLE.includes(kind)) {
    return t('yaml.notPlannable', { kind });
  }
  if (planPermission.loading) {
    return t('yaml.checkingPermission');
  }
  if (!planPermission.allowed) {
    return t('yaml.notAllowed');
  }
  return undefined;
}

/**
 * The model's explanation, asked for on demand, of the text as it was when
 * it was asked (the live manifest, or the edit).
 */
function useModelExplanation(
  request: ManifestCheckRequest,
  text: string,
  original: string,
) {
  const api = useApi(kubecopilotApiRef);
  const [explainedText, setExplainedText] = useState<string>();
  const [explainState, runExplain] = useAsyncFn(
    (manifest?: string) =>
      api.explainManifest(
        manifest === undefined ? request : { ...request, manifest },
      ),
    [api, request],
  );
  return {
    explainState,
    /** The explanation shown is of another version of the text. */
    explanationStale: explainedText !== undefined && explainedText !== text,
    /** Asks the model about the manifest as it is now (the edit, if any). */
    askModel: () => {
      setExplainedText(text);
      runExplain(text !== original ? text : undefined);
    },
  };
}

/**
 * The manifest editor's state: the text being edited, the backend checks of
 * it (shown as editor annotations), and drafting a plan from the edit.
 */
export function useManifestEditor(
  entityRef: string,
  workload: WorkloadManifest,
) {
  const { resource } = workload;
  const api = useApi(kubecopilotApiRef);
  const navigate = useNavigate();
  const location = useLocation();
  const planDisabledReason = usePlanDisabledReason(resource.kind);
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
  const model = useModelExplanation(request, text, workload.manifest);

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

  return {
    editing,
    text,
    setText,
    setView,
    checkState,
    checks,
    ranges,
    planState,
    planDisabledReason,
    changed: text !== workload.manifest,
    startEditing: () => setEditing(true),
    createPlan: () => createPlan(),
    checkAgain: () => runCheck(text),
    ...model,
    /** Drops the edit and checks the live manifest again. */
    cancel: () => {
      setText(workload.manifest);
      setEditing(false);
      runCheck();
    },
    /**
     * Scrolls the editor to a check's line and highlights it; while editing,
     * the cursor goes there too (a read-only editor has none).
     */
    showLine: (range: TextRange) => {
      view?.dispatch({
        ...(editing ? { selection: { anchor: range.from } } : {}),
        effects: [
          highlightLineAt.of(range.from),
          EditorView.scrollIntoView(range.from, { y: 'center' }),
        ],
      });
      if (editing) view?.focus();
    },
    /** Applies a check's suggested fix to the text and checks the result. */
    applyFix: (check: ManifestCheck) => {
      if (!check.suggestion) return;
      const next = applySuggestion(text, check.suggestion);
      setEditing(true);
      setText(next);
      runCheck(next);
    },
  };
}

/** What {@link useManifestEditor} returns, passed to the editor's sections. */
export type ManifestEditorState = ReturnType<typeof useManifestEditor>;
