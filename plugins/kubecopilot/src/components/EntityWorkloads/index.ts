export { EntityWorkloads } from './EntityWorkloads';
