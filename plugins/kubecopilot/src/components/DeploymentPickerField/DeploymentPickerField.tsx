import type { ResponseError } from '@backstage/errors';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { WorkloadSummary } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useEffect, useRef, useState } from 'react';
import { KubecopilotT, kubecopilotTranslationRef } from '../../translation';
import {
  EntityWorkloadsState,
  useEntityWorkloads,
  workloadKey,
} from './useEntityWorkloads';

/**
 * `ui:options` of `KubecopilotDeploymentPicker`.
 *
 * @public
 */
export interface DeploymentPickerUiOptions {
  /** The form field holding the entity ref (an EntityPicker); `entity` by default. */
  entityField?: string;
  /** The workload kinds offered; `[Deployment]` by default. */
  kinds?: string[];
}

type Props = FieldExtensionComponentProps<
  string | undefined,
  DeploymentPickerUiOptions
>;

/** The entity ref the form holds in `field`, from any step before this one. */
function entityRefIn(formContext: unknown, field: string): string | undefined {
  const value = (formContext as { formData?: Record<string, unknown> })
    ?.formData?.[field];
  return typeof value === 'string' && value ? value : undefined;
}

/** "shop · cluster demo · 1/1 ready · ghcr.io/…:2.2.0" */
function describe(t: KubecopilotT, w: WorkloadSummary, withKind: boolean) {
  const where = t('deploymentPicker.option', {
    namespace: w.namespace,
    cluster: w.cluster,
    ready: String(w.ready),
    desired: String(w.desired),
  });
  const images = w.images.length
    ? w.images.join(', ')
    : t('deploymentPicker.noImage');
  return `${withKind ? `${w.kind} · ` : ''}${where} · ${images}`;
}

/** A backend error's own message (`ResponseError` puts its status first). */
function messageOf(error: Error): string {
  const body = (error as Partial<ResponseError>).body;
  return body?.error?.message
    ? `${body.error.message} (${body.response.statusCode})`
    : error.message;
}

type Note = { severity: 'warning' | 'info'; text: string };

/** The notes above the field: why the list is missing or may be partial. */
function notesOf(
  t: KubecopilotT,
  state: EntityWorkloadsState,
  entity: string,
  kinds: string[],
): Note[] {
  if (state.status === 'error') {
    const error = messageOf(state.error);
    return [
      {
        severity: 'warning',
        text: t('deploymentPicker.readError', { entity, error }),
      },
    ];
  }
  if (state.status !== 'loaded') {
    return [];
  }
  const notes: Note[] = state.clusterErrors.map(e => ({
    severity: 'warning',
    text: t('deploymentPicker.clusterError', {
      cluster: e.cluster,
      error: e.message,
    }),
  }));
  if (state.workloads.length === 0 && notes.length === 0) {
    const kindList = kinds.join(' / ');
    notes.push({
      severity: 'info',
      text: t('deploymentPicker.noneFound', { entity, kinds: kindList }),
    });
  }
  return notes;
}

/**
 * A changed service makes the chosen workload meaningless: clear it (but
 * keep a value the form came back with, e.g. from the review step).
 */
function useClearOnEntityChange(
  entityRef: string | undefined,
  formData: string | undefined,
  onChange: (value: string | undefined) => void,
) {
  const previous = useRef(entityRef);
  useEffect(() => {
    if (previous.current === entityRef) {
      return;
    }
    previous.current = entityRef;
    if (formData) {
      onChange(undefined);
    }
  }, [entityRef, formData, onChange]);
}

/**
 * The scaffolder field `KubecopilotDeploymentPicker`: the Deployments of the
 * service chosen earlier in the form, with where they run, how ready they
 * are and their image. When they cannot be listed the field becomes a text
 * input with the reason above it, so a form is never stuck.
 */
export const DeploymentPickerField = (props: Props) => {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const { formData, onChange, required, rawErrors, schema, uiSchema } = props;
  const options = uiSchema?.['ui:options'] ?? {};
  const kinds = options.kinds?.length ? options.kinds : ['Deployment'];
  // The kind goes without saying only for the default, Deployments.
  const withKind = kinds.join() !== 'Deployment';
  const entityRef = entityRefIn(
    props.formContext,
    options.entityField ?? 'entity',
  );
  const state = useEntityWorkloads(entityRef, kinds);
  const [picked, setPicked] = useState<string>();
  const locked = Boolean(props.disabled || props.readonly);
  useClearOnEntityChange(entityRef, formData, onChange);

  const entity = entityRef ?? '';
  const notes = notesOf(t, state, entity, kinds);
  const workloads = state.status === 'loaded' ? state.workloads : [];
  const freeText =
    state.status === 'error' ||
    (state.status === 'loaded' && workloads.length === 0);
  const partial = state.status === 'loaded' && state.clusterErrors.length > 0;
  const selected =
    workloads.find(w => workloadKey(w) === picked && w.name === formData) ??
    workloads.find(w => w.name === formData);
  const field = {
    id: props.idSchema?.$id,
    label: schema.title ?? 'Deployment',
    required,
    error: (rawErrors?.length ?? 0) > 0,
    margin: 'normal' as const,
    FormHelperTextProps: { style: { marginLeft: 0 } },
  };

  let helperText: string | undefined = schema.description;
  if (state.status === 'no-entity') {
    helperText = t('deploymentPicker.chooseEntityFirst');
  } else if (state.status === 'loading') {
    helperText = t('deploymentPicker.loading', { entity });
  } else if (selected) {
    helperText = describe(t, selected, withKind);
  }

  return (
    <Box data-testid="kubecopilot-deployment-picker">
      {notes.map(note => (
        <Alert key={note.text} severity={note.severity}>
          {note.text}
        </Alert>
      ))}
      {state.status === 'no-entity' || freeText ? (
        <TextField
          {...field}
          fullWidth
          disabled={locked || state.status === 'no-entity'}
          value={formData ?? ''}
          onChange={e => onChange(e.target.value || undefined)}
          helperText={helperText}
        />
      ) : (
        <Autocomplete<WorkloadSummary, false, false, boolean>
          options={workloads}
          disabled={locked}
          loading={state.status === 'loading'}
          loadingText={t('deploymentPicker.loading', { entity })}
          noOptionsText={t('deploymentPicker.noMatch')}
          openOnFocus
          // With a cluster unread the list may be short: a name can be typed.
          freeSolo={partial}
          value={selected ?? (partial && formData ? formData : null)}
          getOptionLabel={o => (typeof o === 'string' ? o : o.name)}
          getOptionSelected={(o, v) => workloadKey(o) === workloadKey(v)}
          onChange={(_e, value) => {
            if (typeof value === 'string' || !value) {
              onChange(value || undefined);
              return;
            }
            setPicked(workloadKey(value));
            onChange(value.name);
          }}
          onInputChange={(_e, text, reason) => {
            if (partial && reason === 'input') {
              onChange(text || undefined);
            }
          }}
          renderOption={w => (
            <Box>
              <Typography variant="body1">{w.name}</Typography>
              <Typography variant="body2" color="textSecondary">
                {describe(t, w, withKind)}
              </Typography>
            </Box>
          )}
          renderInput={params => (
            <TextField {...params} {...field} helperText={helperText} />
          )}
        />
      )}
    </Box>
  );
};
