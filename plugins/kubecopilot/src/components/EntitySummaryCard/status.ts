import { KubecopilotT } from '../../translation';
import { WorkloadSummary } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { isProblemReason } from '../ReasonChip';
import { workloadHealth } from '../WorkloadsTable';

/** An entity's workloads at a glance: what is running and what is wrong. */
export interface WorkloadsStatus {
  total: number;
  /** Workloads with every desired replica ready (or scaled to zero). */
  readyWorkloads: number;
  /** Workloads short of ready replicas, with a problem reason or not. */
  problems: WorkloadSummary[];
  /** Problem reasons across the workloads that are short of replicas. */
  reasons: string[];
}

export function workloadsStatus(workloads: WorkloadSummary[]): WorkloadsStatus {
  const problems = workloads.filter(w => {
    const health = workloadHealth(w);
    return health === 'failing' || health === 'degraded';
  });
  return {
    total: workloads.length,
    readyWorkloads: workloads.length - problems.length,
    problems,
    reasons: [
      ...new Set(problems.flatMap(w => w.reasons.filter(isProblemReason))),
    ].sort(),
  };
}

/** "1 of 2 workloads has a problem: CrashLoopBackOff" / "All 2 workloads are ready". */
export function describeStatus(
  status: WorkloadsStatus,
  t: KubecopilotT,
): string {
  if (status.total === 0) {
    return t('workloads.status.none');
  }
  if (status.problems.length === 0) {
    return status.total === 1
      ? t('workloads.status.oneReady')
      : t('workloads.status.allReady', { count: status.total });
  }
  const n = status.problems.length;
  const which =
    status.total === 1
      ? t('workloads.status.oneNotReady')
      : t('workloads.status.someNotReady', {
          count: n,
          total: String(status.total),
        });
  return status.reasons.length > 0
    ? t('workloads.status.withReasons', {
        which,
        reasons: status.reasons.join(', '),
      })
    : which;
}
