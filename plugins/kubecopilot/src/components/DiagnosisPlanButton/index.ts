export {
  DiagnosisPlanButton,
  plansTabPath,
  describeError,
} from './DiagnosisPlanButton';
export type { DiagnosisPlanRequest } from './DiagnosisPlanButton';
