export { EntityPlansContent } from './EntityPlansContent';
