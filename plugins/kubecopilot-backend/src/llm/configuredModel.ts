import { Config } from '@backstage/config';
import { readLlmConfig } from './config';
import { OpenAiLlmClient } from './OpenAiLlmClient';
import { loadPrompt, PromptTemplate, promptsDir } from './prompts';
import type { LlmClient } from './types';

/** The per-caller daily token budget (`kubecopilot.limits`) a client is put behind. */
export interface LlmBudgetWrapper {
  wrap(client: LlmClient): LlmClient;
}

/**
 * The configured model (`kubecopilot.llm`) behind the caller's token budget,
 * with the newest version of one prompt — or undefined when no model is
 * configured. What every feature that asks a model starts from.
 */
export async function configuredModel(
  config: Config,
  prompt: string,
  options: { llmBudget?: LlmBudgetWrapper } = {},
): Promise<{ client: LlmClient; prompt: PromptTemplate } | undefined> {
  const llm = readLlmConfig(config);
  if (llm.provider === 'none') return undefined;
  const client = OpenAiLlmClient.fromConfig(llm);
  return {
    client: options.llmBudget ? options.llmBudget.wrap(client) : client,
    prompt: await loadPrompt(promptsDir(config), prompt),
  };
}
