import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { kubecopilotDiagnosePermission } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  useApiHolder,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
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
import { kubecopilotTranslationRef } from '../../translation';

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
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  let reason: string = t('diagnose.card.buttonReason');
  if (permission.loading) {
    reason = t('diagnose.card.checkingPermission');
  } else if (!allowed) {
    reason = permission.deniedReason;
  } else if (running) {
    reason = t('diagnose.card.running');
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
          {running
            ? t('diagnose.card.diagnosing')
            : t('diagnose.card.diagnose')}
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
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (!hasPermissionApi) {
    return (
      <DiagnosisCardView
        entityRef={entityRef}
        permission={{
          allowed: false,
          loading: false,
          deniedReason: t('diagnose.card.noPermissionApi'),
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
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <DiagnosisCardView
      entityRef={props.entityRef}
      permission={{
        allowed,
        loading,
        deniedReason: t('diagnose.card.notAllowed'),
      }}
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
  const { t } = useTranslationRef(kubecopilotTranslationRef);

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
          title={t('diagnose.card.historyError')}
        />
        <Box mt={2}>
          <Button variant="outlined" color="primary" onClick={reloadHistory}>
            {t('diagnose.card.reload')}
          </Button>
        </Box>
      </>
    );
  } else if (!diagnosing) {
    body = (
      <EmptyState
        missing="data"
        title={t('diagnose.card.emptyTitle')}
        description={
          permission.allowed || permission.loading
            ? t('diagnose.card.emptyDescription', { entityRef })
            : t('diagnose.card.emptyDenied', {
                entityRef,
                reason: permission.deniedReason,
              })
        }
      />
    );
  }

  return (
    <InfoCard
      title={t('diagnose.card.title')}
      subheader={t('diagnose.card.subheader')}
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
          <LinearProgress aria-label={t('diagnose.card.progressLabel')} />
          <Typography variant="body2" color="textSecondary">
            {t('diagnose.card.progress')}
          </Typography>
        </Box>
      )}
      {diagnoseError && !diagnosing && (
        <Box mb={2}>
          <ResponseErrorPanel
            error={diagnoseError}
            title={t('diagnose.card.failed')}
          />
        </Box>
      )}
      {body}
    </InfoCard>
  );
}
