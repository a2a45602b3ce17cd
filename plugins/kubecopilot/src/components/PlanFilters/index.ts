export { PlanFilters } from './PlanFilters';
export type { PlanFiltersProps } from './PlanFilters';
