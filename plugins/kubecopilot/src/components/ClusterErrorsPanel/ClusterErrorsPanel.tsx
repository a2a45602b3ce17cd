import { WarningPanel } from '@backstage/core-components';
import { ClusterError } from '@kubecopilot/backstage-plugin-kubecopilot-common';

/**
 * Names every cluster that could not be read, so a partial result is never
 * mistaken for a complete one.
 */
export function ClusterErrorsPanel(props: { errors: ClusterError[] }) {
  const { errors } = props;
  if (errors.length === 0) {
    return null;
  }
  const names = errors.map(e => e.cluster).join(', ');
  return (
    <WarningPanel
      title={
        errors.length === 1
          ? `Cluster ${names} could not be read`
          : `${errors.length} clusters could not be read: ${names}`
      }
      message="The workloads below are incomplete: they come only from the clusters that answered."
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
