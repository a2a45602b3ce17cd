import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useWorkloads } from '../../hooks/useWorkloads';
import { ClusterErrorsPanel } from '../ClusterErrorsPanel';
import { WorkloadsTable } from '../WorkloadsTable';
import { IngressRoutes } from '../IngressRoutes';

function RefreshButton(props: { onClick: () => void; label?: string }) {
  return (
    <Button
      variant="outlined"
      color="primary"
      startIcon={<RefreshIcon />}
      onClick={props.onClick}
    >
      {props.label ?? 'Refresh'}
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

  if (error) {
    return (
      <>
        <ResponseErrorPanel
          error={error}
          title="Could not load the workloads"
        />
        <Box mt={2}>
          <RefreshButton onClick={retry} label="Try again" />
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
          title="No workloads found"
          description={describeEmpty(entityRef, clusters, errors.length > 0)}
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
): string {
  if (clusters.length === 0 && !partial) {
    return 'No Kubernetes clusters are configured. Add one under kubernetes.clusterLocatorMethods in app-config.yaml.';
  }
  const where =
    clusters.length > 0
      ? `in ${
          partial ? 'the clusters that answered' : 'clusters'
        } ${clusters.join(', ')}`
      : 'in any cluster that answered';
  return `Nothing ${where} belongs to ${entityRef}. Workloads are matched by the entity's backstage.io/kubernetes-id or backstage.io/kubernetes-label-selector annotation.`;
}
