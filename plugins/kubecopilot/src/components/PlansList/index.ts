export { PlansList } from './PlansList';
export type { PlansListProps } from './PlansList';
