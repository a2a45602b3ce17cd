import { WarningPanel } from '@backstage/core-components';
import { ClusterError } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';

/**
 * Names every cluster that could not be read, so a partial result is never
 * mistaken for a complete one.
 */
export function ClusterErrorsPanel(props: { errors: ClusterError[] }) {
  const { errors } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (errors.length === 0) {
    return null;
  }
  const names = errors.map(e => e.cluster).join(', ');
  return (
    <WarningPanel
      title={
        errors.length === 1
          ? t('workloads.clusterNotRead', { names })
          : t('workloads.clustersNotRead', { count: errors.length, names })
      }
      message={t('workloads.incomplete')}
      defaultExpanded
    >
      <ul>
        {errors.map(e => (
          <li key={e.cluster}>
            <strong>{e.cluster}</strong>: {e.message}
          </li>
        ))}
      </ul>
    </WarningPanel>
  );
}
