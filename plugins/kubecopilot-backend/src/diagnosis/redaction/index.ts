export {
  REDACTED,
  redactText,
  redactLogLine,
  redactLogLines,
} from './redactText';
export type { RedactionResult } from './redactText';
export { redactObject, redactPod, SECRET_ENV_NAME } from './redactObject';
export { redactAnalysisContext } from './redactAnalysisContext';
