export { ReasonChip, isProblemReason } from './ReasonChip';
