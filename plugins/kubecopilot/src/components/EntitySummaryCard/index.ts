export { EntitySummaryCard } from './EntitySummaryCard';
export { describeStatus, workloadsStatus } from './status';
export type { WorkloadsStatus } from './status';
