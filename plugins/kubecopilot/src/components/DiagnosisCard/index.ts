export { DiagnosisCard } from './DiagnosisCard';
