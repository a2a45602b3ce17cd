import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { FixInput } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, ReactNode, useState } from 'react';
import {
  KubecopilotT,
  kubecopilotTranslationRef,
  tOr,
} from '../../translation';

/**
 * `params` with each asked value set at its path: `['containers', 'app',
 * 'env', 'API_URL']` → `{ containers: { app: { env: { API_URL: value } } } }`,
 * merged into what `params` already holds.
 */
export function withAnswers(
  params: Record<string, unknown> | undefined,
  asks: FixInput[],
  values: string[],
): Record<string, unknown> {
  const result: Record<string, unknown> = structuredClone(params ?? {});
  asks.forEach((ask, i) => {
    let node = result;
    ask.path.slice(0, -1).forEach(key => {
      const next = node[key];
      node[key] =
        next && typeof next === 'object'
          ? next
          : ({} as Record<string, unknown>);
      node = node[key] as Record<string, unknown>;
    });
    node[ask.path[ask.path.length - 1]] = values[i].trim();
  });
  return result;
}

/** A Kubernetes quantity, as the backend checks it: `500m`, `2`, `512Mi`. */
const QUANTITY = /^[0-9.]+[a-zA-Z]*$/;

/** The label and help text of an ask's field. */
function wordsFor(
  t: KubecopilotT,
  ask: FixInput,
): { label: string; help: string } {
  if (ask.kind === 'env') {
    return {
      label: t('planButton.envLabel', {
        name: ask.name ?? '',
        container: ask.container,
      }),
      help: t('planButton.envHelp'),
    };
  }
  if (ask.kind === 'resource') {
    const resource = (ask.name ?? '').replace(/^requests\./, '');
    return {
      label: t('planButton.resourceLabel', {
        resource: tOr(t, `planButton.resourceName.${resource}`, ask.name ?? ''),
        container: ask.container,
      }),
      help: t('planButton.resourceHelp', { initial: ask.initial ?? '' }),
    };
  }
  return {
    label: t('planButton.imageLabel', { container: ask.container }),
    help: t('planButton.imageHelp'),
  };
}

/** What is wrong with a typed value, if anything (the backend checks again). */
function problemOf(
  t: KubecopilotT,
  ask: FixInput,
  typed: string,
): string | undefined {
  const value = typed.trim();
  const unchanged = value === (ask.initial ?? '');
  if (ask.kind === 'image' && unchanged) {
    return t('planButton.imageUnchanged');
  }
  if (ask.kind === 'resource') {
    if (unchanged) return t('planButton.resourceUnchanged');
    if (value && !QUANTITY.test(value)) return t('planButton.notAQuantity');
  }
  return undefined;
}

/**
 * Asks for the values a fix needs before its plan is drafted (the value of a
 * missing variable, an image that exists). The plan is drafted on submit;
 * a refusal (a credential-looking value, say) is shown here, with the values
 * kept, so the person can correct them.
 */
export function AskValuesDialog(props: {
  asks: FixInput[];
  open: boolean;
  busy: boolean;
  error?: ReactNode;
  onCancel: () => void;
  onSubmit: (values: string[]) => void;
}) {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const { asks, open, busy, error, onCancel, onSubmit } = props;
  // One dialog is open at a time (React 17 has no useId).
  const titleId = 'kubecopilot-ask-values-title';
  const [values, setValues] = useState(() => asks.map(a => a.initial ?? ''));
  const problems = asks.map((ask, i) => problemOf(t, ask, values[i]));
  const ready =
    values.every(v => v.trim().length > 0) && problems.every(p => !p);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready && !busy) onSubmit(values);
  };
  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onCancel}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{t('planButton.askTitle')}</DialogTitle>
        <DialogContent>
          <DialogContentText>{t('planButton.askIntro')}</DialogContentText>
          {asks.map((ask, i) => {
            const { label, help } = wordsFor(t, ask);
            const touched = values[i] !== (ask.initial ?? '');
            return (
              <TextField
                key={ask.path.join('.')}
                id={`kubecopilot-ask-value-${i}`}
                label={label}
                value={values[i]}
                onChange={e => {
                  const next = [...values];
                  next[i] = e.target.value;
                  setValues(next);
                }}
                helperText={problems[i] || help}
                error={touched && !!problems[i]}
                fullWidth
                margin="normal"
                variant="outlined"
                inputProps={{ spellCheck: false, autoComplete: 'off' }}
              />
            );
          })}
          {error && (
            <Box mt={1}>
              <Alert severity="error" role="alert">
                {error}
              </Alert>
            </Box>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onCancel} disabled={busy}>
            {t('planButton.cancel')}
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={!ready || busy}
            startIcon={
              busy ? (
                <CircularProgress
                  size={14}
                  aria-label={t('planButton.creating')}
                />
              ) : undefined
            }
          >
            {t('planButton.create')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
