import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';
import { ResponseError } from '@backstage/errors';
import {
  FixInput,
  ObjectRef,
  PlanAction,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Alert from '@material-ui/lab/Alert';
import PlaylistAddIcon from '@material-ui/icons/PlaylistAdd';
import { useLocation, useNavigate } from 'react-router-dom';
import { useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { kubecopilotApiRef } from '../../api';
import { AskValuesDialog, withAnswers } from './AskValuesDialog';

/** What a recommendation or proposed fix turns into when clicked. */
export interface DiagnosisPlanRequest {
  entityRef: string;
  action: PlanAction;
  resource: ObjectRef & { cluster?: string };
  params?: Record<string, unknown>;
  rationale: string;
  /** Values a person types first (a variable's value, an image); asked in a dialog. */
  asks?: FixInput[];
}

/**
 * The entity's Operation Plans tab, next to the Diagnose tab this button
 * lives on.
 */
export function plansTabPath(currentPath: string, planId: string): string {
  const segments = currentPath.replace(/\/+$/, '').split('/');
  segments.pop();
  return `${segments.join('/')}/kubecopilot-plans?plan=${encodeURIComponent(
    planId,
  )}`;
}

/** The backend's own words ("not allowed on …"), not "Request failed with 400". */
export function describeError(error: Error): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message || error.message;
  }
  return error.message;
}

/**
 * Drafts a pending plan from a recommendation and opens it for review; a
 * fix that needs a value only a person knows asks for it first. Nothing
 * changes in the cluster until the plan is approved and executed.
 */
export function DiagnosisPlanButton(props: {
  request: DiagnosisPlanRequest;
  label?: string;
}) {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const { request, label = t('planButton.create') } = props;
  const api = useApi(kubecopilotApiRef);
  const navigate = useNavigate();
  const location = useLocation();

  const asks = request.asks ?? [];
  const [asking, setAsking] = useState(false);
  const [state, create] = useAsyncFn(
    async (values: string[] = []) => {
      const plan = await api.createPlan({
        entityRef: request.entityRef,
        action: request.action,
        resource: request.resource,
        params: asks.length
          ? withAnswers(request.params, asks, values)
          : request.params ?? {},
        rationale: request.rationale,
      });
      navigate(plansTabPath(location.pathname, plan.id));
      return plan;
    },
    [api, request, navigate, location.pathname],
  );

  return (
    <Box>
      <Button
        size="small"
        variant="outlined"
        color="primary"
        startIcon={
          state.loading ? (
            <CircularProgress size={14} aria-label={t('planButton.creating')} />
          ) : (
            <PlaylistAddIcon />
          )
        }
        disabled={state.loading}
        onClick={() => (asks.length ? setAsking(true) : create())}
      >
        {label}
      </Button>
      {asks.length > 0 && asking && (
        <AskValuesDialog
          asks={asks}
          open
          busy={state.loading}
          error={
            state.error &&
            t('planButton.failed', { error: describeError(state.error) })
          }
          onCancel={() => setAsking(false)}
          onSubmit={values => create(values)}
        />
      )}
      {state.error && !asking && (
        <Box mt={1}>
          <Alert severity="error" role="alert">
            {t('planButton.failed', { error: describeError(state.error) })}
          </Alert>
        </Box>
      )}
    </Box>
  );
}
