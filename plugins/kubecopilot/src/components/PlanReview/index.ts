export { PlanReview } from './PlanReview';
export type { PlanReviewProps } from './PlanReview';
export { allowedByState } from './planActions';
