export { DiagnosisFindings, SeverityStatus } from './DiagnosisFindings';
export { groupFindingsByWorkload, workloadOf } from './grouping';
export type { WorkloadGroup } from './grouping';
