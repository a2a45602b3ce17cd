import { Config } from '@backstage/config';
import {
  Severity,
  severitySchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

export interface AlertsConfig {
  labels: {
    /** A label holding a catalog entity ref; wins over the workload labels. */
    entity: string;
    cluster: string;
    namespace: string;
    deployment: string;
    statefulset: string;
    daemonset: string;
    pod: string;
  };
  /** Cluster of alerts without a cluster label (needed with several clusters). */
  defaultCluster?: string;
  /** Diagnose the entity of a newly firing alert. Default true. */
  diagnose: boolean;
  /** Notification severity when the alert has no `severity` label. */
  defaultSeverity: Severity;
}

/** `kubecopilot.alerts.*`. */
export function readAlertsConfig(config: Config): AlertsConfig {
  const alerts = config.getOptionalConfig('kubecopilot.alerts');
  const label = (key: string, fallback: string) =>
    alerts?.getOptionalString(`labels.${key}`) ?? fallback;
  return {
    labels: {
      entity: label('entity', 'backstage_entity'),
      cluster: label('cluster', 'cluster'),
      namespace: label('namespace', 'namespace'),
      deployment: label('deployment', 'deployment'),
      statefulset: label('statefulset', 'statefulset'),
      daemonset: label('daemonset', 'daemonset'),
      pod: label('pod', 'pod'),
    },
    defaultCluster: alerts?.getOptionalString('defaultCluster'),
    diagnose: alerts?.getOptionalBoolean('diagnose') ?? true,
    defaultSeverity: severitySchema.parse(
      alerts?.getOptionalString('defaultSeverity') ?? 'warning',
    ),
  };
}
