import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useWorkloads } from '../../hooks/useWorkloads';
import { KubecopilotT, kubecopilotTranslationRef } from '../../translation';
import { ClusterErrorsPanel } from '../ClusterErrorsPanel';
import { WorkloadsTable } from '../WorkloadsTable';
import { IngressRoutes } from '../IngressRoutes';

function RefreshButton(props: { onClick: () => void; label?: string }) {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Button
      variant="outlined"
      color="primary"
      startIcon={<RefreshIcon />}
      onClick={props.onClick}
    >
      {props.label ?? t('common.refresh')}
    </Button>
  );
}

/**
 * An entity's workloads across all clusters, with the clusters that could not
 * be read called out above them.
 *
 * @public
 */
export function EntityWorkloads(props: { entityRef: string }) {
  const { entityRef } = props;
  const { value, loading, error, retry } = useWorkloads(entityRef, {
    relations: true,
  });
  const { t } = useTranslationRef(kubecopilotTranslationRef);

  if (error) {
    return (
      <>
        <ResponseErrorPanel error={error} title={t('workloads.loadError')} />
        <Box mt={2}>
          <RefreshButton onClick={retry} label={t('workloadsTable.tryAgain')} />
        </Box>
      </>
    );
  }
  if (!value) {
    return <Progress />;
  }

  const { workloads, clusters, errors, ingresses } = value;
  return (
    <>
      {errors.length > 0 && (
        <Box mb={2}>
          <ClusterErrorsPanel errors={errors} />
        </Box>
      )}
      {workloads.length === 0 ? (
        <EmptyState
          missing="data"
          title={t('workloadsTable.noneFound')}
          description={describeEmpty(entityRef, clusters, errors.length > 0, t)}
          action={<RefreshButton onClick={retry} />}
        />
      ) : (
        <WorkloadsTable
          workloads={workloads}
          clusters={clusters}
          loading={loading}
          onRefresh={retry}
        />
      )}
      {ingresses && ingresses.length > 0 && (
        <Box mt={2}>
          <IngressRoutes ingresses={ingresses} />
        </Box>
      )}
    </>
  );
}

function describeEmpty(
  entityRef: string,
  clusters: string[],
  partial: boolean,
  t: KubecopilotT,
): string {
  if (clusters.length === 0 && !partial) {
    return t('workloadsTable.noClusters');
  }
  const names = { clusters: clusters.join(', ') };
  let where: string = t('workloadsTable.anyCluster');
  if (clusters.length > 0) {
    where = partial
      ? t('workloadsTable.answeredClusters', names)
      : t('workloadsTable.clusters', names);
  }
  return t('workloadsTable.nothingIn', { where, entityRef });
}
