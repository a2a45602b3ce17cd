export { DiagnosisHistory } from './DiagnosisHistory';
