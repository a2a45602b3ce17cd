export { EntityDiagnoseContent } from './EntityDiagnoseContent';
