import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';
import { ResponseError } from '@backstage/errors';
import {
  ObjectRef,
  PlanAction,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Alert from '@material-ui/lab/Alert';
import PlaylistAddIcon from '@material-ui/icons/PlaylistAdd';
import { useLocation, useNavigate } from 'react-router-dom';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { kubecopilotApiRef } from '../../api';

/** What a recommendation or proposed fix turns into when clicked. */
export interface DiagnosisPlanRequest {
  entityRef: string;
  action: PlanAction;
  resource: ObjectRef & { cluster?: string };
  params?: Record<string, unknown>;
  rationale: string;
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
 * Drafts a pending plan from a recommendation and opens it for review.
 * Nothing changes in the cluster until the plan is approved and executed.
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

  const [state, create] = useAsyncFn(async () => {
    const plan = await api.createPlan({
      entityRef: request.entityRef,
      action: request.action,
      resource: request.resource,
      params: request.params ?? {},
      rationale: request.rationale,
    });
    navigate(plansTabPath(location.pathname, plan.id));
    return plan;
  }, [api, request, navigate, location.pathname]);

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
        onClick={() => create()}
      >
        {label}
      </Button>
      {state.error && (
        <Box mt={1}>
          <Alert severity="error" role="alert">
            {t('planButton.failed', { error: describeError(state.error) })}
          </Alert>
        </Box>
      )}
    </Box>
  );
}
