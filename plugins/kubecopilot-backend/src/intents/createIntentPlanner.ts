import { Config } from '@backstage/config';
import { BUILT_IN_ACTIONS, ActionWhitelist } from '../changes/whitelist';
import { configuredModel, LlmBudgetWrapper } from '../llm';
import { LlmIntentPlanner } from './LlmIntentPlanner';

/** The LLM planner for free-form intents, or undefined when no LLM is configured. */
export async function createIntentPlanner(
  config: Config,
  whitelist: ActionWhitelist,
  options?: {
    /** The per-caller daily token budget (`kubecopilot.limits`) the client is put behind. */
    llmBudget?: LlmBudgetWrapper;
  },
): Promise<LlmIntentPlanner | undefined> {
  const model = await configuredModel(config, 'plan', options);
  if (!model) return undefined;
  const allowed: Record<string, string[]> = {};
  for (const [action, kind] of BUILT_IN_ACTIONS) {
    // The model answers restart, scale, rollback or delete; updates are
    // drafted from typed values (the YAML view, a finding's fix), never
    // from values a model made up.
    if (action === 'update') continue;
    if (!whitelist.check(action, kind).allowed) continue;
    (allowed[kind] ??= []).push(action);
  }
  return new LlmIntentPlanner(model.client, model.prompt, allowed);
}
