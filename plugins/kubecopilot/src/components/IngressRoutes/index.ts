export { IngressRoutes } from './IngressRoutes';
