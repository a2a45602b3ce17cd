import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { kubecopilotDiagnosePermission } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { useApiHolder } from '@backstage/frontend-plugin-api';
import {
  permissionApiRef,
  usePermission,
} from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import SearchIcon from '@material-ui/icons/Search';
import { useDiagnosis } from '../../hooks/useDiagnosis';
import { DiagnosisHistory } from '../DiagnosisHistory';
import { DiagnosisResult } from '../DiagnosisResult';

const NOT_ALLOWED =
  'You are not allowed to run diagnoses (permission kubecopilot.diagnose). Ask an administrator for access.';
const NO_PERMISSION_API =
  'Diagnosing is disabled: this app has no permission API to check kubecopilot.diagnose with.';

interface DiagnosePermission {
  allowed: boolean;
  loading: boolean;
  /** Shown when not allowed. */
  deniedReason: string;
}

function DiagnoseButton(props: {
  onClick: () => void;
  running: boolean;
  permission: DiagnosePermission;
}) {
  const { onClick, running, permission } = props;
  const { allowed } = permission;
  let reason = 'Analyse the workloads, their events and logs now';
  if (permission.loading) {
    reason = 'Checking whether you may run a diagnosis…';
  } else if (!allowed) {
    reason = permission.deniedReason;
  } else if (running) {
    reason = 'A diagnosis is running';
  }
  return (
    <Tooltip title={reason}>
      {/* A disabled button fires no events, so the tooltip hangs on a wrapper. */}
      <span data-testid="diagnose-button-wrapper">
        <Button
          variant="contained"
          color="primary"
          startIcon={<SearchIcon />}
          disabled={!allowed || running}
          onClick={onClick}
        >
          {running ? 'Diagnosing…' : 'Diagnose'}
        </Button>
      </span>
    </Tooltip>
  );
}

/**
 * The diagnosis of an entity's workloads: the Diagnose action, the diagnosis
 * on screen (the newest until another is picked) and the recent ones.
 */
export function DiagnosisCard(props: { entityRef: string }) {
  const { entityRef } = props;
  // Every Backstage app provides the permission API; a bare harness without
  // one gets a disabled Diagnose action rather than a crashed entity page.
  const hasPermissionApi = Boolean(useApiHolder().get(permissionApiRef));
  if (!hasPermissionApi) {
    return (
      <DiagnosisCardView
        entityRef={entityRef}
        permission={{
          allowed: false,
          loading: false,
          deniedReason: NO_PERMISSION_API,
        }}
      />
    );
  }
  return <PermittedDiagnosisCard entityRef={entityRef} />;
}

function PermittedDiagnosisCard(props: { entityRef: string }) {
  const { allowed, loading } = usePermission({
    permission: kubecopilotDiagnosePermission,
  });
  return (
    <DiagnosisCardView
      entityRef={props.entityRef}
      permission={{ allowed, loading, deniedReason: NOT_ALLOWED }}
    />
  );
}

function DiagnosisCardView(props: {
  entityRef: string;
  permission: DiagnosePermission;
}) {
  const { entityRef, permission } = props;
  const {
    items,
    selected,
    select,
    historyLoading,
    historyError,
    reloadHistory,
    diagnose,
    diagnosing,
    diagnoseError,
  } = useDiagnosis(entityRef);

  let body;
  if (selected) {
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12} md={9}>
          <DiagnosisResult diagnosis={selected} />
        </Grid>
        <Grid item xs={12} md={3}>
          <DiagnosisHistory
            items={items}
            selectedId={selected.id}
            onSelect={select}
          />
        </Grid>
      </Grid>
    );
  } else if (historyLoading && !diagnosing) {
    // While diagnosing, the diagnosis progress below the header is enough.
    body = <Progress />;
  } else if (historyError) {
    body = (
      <>
        <ResponseErrorPanel
          error={historyError}
          title="Could not load recent diagnoses"
        />
        <Box mt={2}>
          <Button variant="outlined" color="primary" onClick={reloadHistory}>
            Reload diagnoses
          </Button>
        </Box>
      </>
    );
  } else if (!diagnosing) {
    body = (
      <EmptyState
        missing="data"
        title="No diagnosis yet"
        description={
          permission.allowed || permission.loading
            ? `Press Diagnose to analyse the workloads of ${entityRef}: their state, events and recent logs. Findings, their evidence and proposed fixes appear here.`
            : `Nobody has diagnosed ${entityRef} yet. ${permission.deniedReason}`
        }
      />
    );
  }

  return (
    <InfoCard
      title="AI Diagnose"
      subheader="What is wrong with this service’s workloads, and why"
      action={
        <Box mt={1} mr={1}>
          <DiagnoseButton
            onClick={() => diagnose()}
            running={diagnosing}
            permission={permission}
          />
        </Box>
      }
    >
      {diagnosing && (
        <Box mb={2} role="status" aria-live="polite">
          <LinearProgress aria-label="Diagnosing" />
          <Typography variant="body2" color="textSecondary">
            Diagnosing: reading workloads, events and logs, then analysing them.
            This can take several seconds.
          </Typography>
        </Box>
      )}
      {diagnoseError && !diagnosing && (
        <Box mb={2}>
          <ResponseErrorPanel error={diagnoseError} title="Diagnosis failed" />
        </Box>
      )}
      {body}
    </InfoCard>
  );
}
