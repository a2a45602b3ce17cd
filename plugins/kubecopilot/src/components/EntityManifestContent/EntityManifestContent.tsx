import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { kubecopilotApiRef } from '../../api';
import { kubecopilotTranslationRef } from '../../translation';
import { ManifestEditor } from './ManifestEditor';

/**
 * The "YAML" entity tab: each of the entity's workloads (Deployment,
 * StatefulSet, DaemonSet, CronJob, Job) as its live manifest, checked
 * against well-known best practices, explained, and editable into a plan.
 *
 * @public
 */
export function EntityManifestContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(kubecopilotApiRef);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const { value, loading, error } = useAsync(
    () => api.getManifests(entityRef),
    [api, entityRef],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  return (
    <>
      {value.errors.map(e => (
        <Box mb={2} key={e.cluster}>
          <Alert severity="warning">
            {t('yaml.clusterError', {
              cluster: e.cluster,
              message: e.message,
            })}
          </Alert>
        </Box>
      ))}
      {value.items.length === 0 ? (
        <EmptyState
          missing="data"
          title={t('yaml.emptyTitle')}
          description={t('yaml.emptyDescription')}
        />
      ) : null}
      {value.items.map(item => (
        <Box
          mb={3}
          key={`${item.resource.cluster}/${item.resource.kind}/${item.resource.namespace}/${item.resource.name}`}
        >
          <ManifestEditor entityRef={entityRef} workload={item} />
        </Box>
      ))}
    </>
  );
}
