export { ClusterErrorsPanel } from './ClusterErrorsPanel';
