export {
  DiagnosisResult,
  describeSource,
  describeUsage,
} from './DiagnosisResult';
