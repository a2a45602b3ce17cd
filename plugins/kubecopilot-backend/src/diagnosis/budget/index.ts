export { compressLogs, containsLine, lineKey } from './compressLogs';
export type { CompressOptions } from './compressLogs';
export { fitToBudget, evidenceLines, findingsText } from './fitToBudget';
export type { BudgetStats, FitOptions, FittedContext } from './fitToBudget';
export {
  toPromptContext,
  renderPromptContext,
  renderEvent,
} from './promptContext';
export type { PromptContext, PromptEvent, PromptLog } from './promptContext';
export { estimateTokens } from './tokens';
