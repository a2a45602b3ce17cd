export type {
  LlmClient,
  LlmFailureReason,
  LlmJsonRequest,
  LlmProvider,
  LlmResult,
  LlmUsage,
} from './types';
export { readLlmConfig } from './config';
export type { LlmConfig } from './config';
export { OpenAiLlmClient } from './OpenAiLlmClient';
export { loadPrompt, parsePrompt, promptsDir, renderPrompt } from './prompts';
export type { PromptTemplate, RenderedPrompt } from './prompts';
export { configuredModel } from './configuredModel';
export type { LlmBudgetWrapper } from './configuredModel';
