export {
  HEALTH_LABELS,
  ReadyStatus,
  WorkloadsTable,
  workloadHealth,
} from './WorkloadsTable';
export type { WorkloadsTableProps, WorkloadHealth } from './WorkloadsTable';
