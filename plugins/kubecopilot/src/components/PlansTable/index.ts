export { PlansTable, PlanStatusLabel, RiskChip } from './PlansTable';
export type { PlansTableProps } from './PlansTable';
export { formatAge, formatTarget, formatUser } from './format';
