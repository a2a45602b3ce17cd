export { WorkloadsTable, workloadHealth } from './WorkloadsTable';
export type { WorkloadsTableProps, WorkloadHealth } from './WorkloadsTable';
