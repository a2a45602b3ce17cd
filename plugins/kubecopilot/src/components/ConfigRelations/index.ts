export { ConfigRelations, referenceStatus } from './ConfigRelations';
export type { ReferenceStatus } from './ConfigRelations';
