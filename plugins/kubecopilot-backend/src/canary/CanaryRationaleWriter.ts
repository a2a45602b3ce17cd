import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Config } from '@backstage/config';
import {
  configuredModel,
  LlmBudgetWrapper,
  LlmClient,
  PromptTemplate,
  renderPrompt,
} from '../llm';

const answerSchema = z
  .object({ rationale: z.string().trim().min(1).max(1_500) })
  .strict();

/** What the model may read about a generated canary plan. */
export interface CanaryFacts {
  cluster: string;
  namespace: string;
  stable: string;
  canary: string;
  previousImage: string;
  image: string;
  /** One line per rollout step, as the generator titled them. */
  steps: string[];
  /** The words the plan was made from, if any. */
  intent?: string;
}

export type CanaryRationale =
  | { ok: true; rationale: string; model: string; promptVersion: string }
  | { ok: false; reason: string };

/**
 * Asks the model for the rationale of a canary plan the deterministic
 * generator made: the only part of a canary the LLM may write. The answer is
 * zod-validated and grounded — an image reference or a `kind/name`-style
 * object it was not shown rejects it — and never changes a step.
 */
export class CanaryRationaleWriter {
  constructor(
    private readonly llm: LlmClient,
    private readonly prompt: PromptTemplate,
  ) {}

  async write(facts: CanaryFacts): Promise<CanaryRationale> {
    const objects = [
      `- cluster ${facts.cluster}`,
      `- namespace ${facts.namespace}`,
      `- Deployment ${facts.stable} (stable)`,
      `- Deployment ${facts.canary} (canary, created by the plan)`,
      `- image ${facts.previousImage} (current)`,
      `- image ${facts.image} (new)`,
    ].join('\n');
    const rendered = renderPrompt(this.prompt, {
      nonce: randomBytes(8).toString('hex'),
      objects,
      plan: facts.steps.map((s, i) => `${i + 1}. ${s}`).join('\n'),
      intent: facts.intent ?? '(made from a form, no free text)',
    });
    const result = await this.llm.completeJson({
      schemaName: 'canary_rationale',
      schema: answerSchema,
      system: rendered.system,
      user: rendered.user,
    });
    if (!result.ok) {
      return { ok: false, reason: `${result.reason}: ${result.message}` };
    }
    const ungrounded = ungroundedNames(result.value.rationale, facts);
    if (ungrounded.length > 0) {
      return {
        ok: false,
        reason: `the model named objects it was not shown (${ungrounded.join(
          ', ',
        )})`,
      };
    }
    return {
      ok: true,
      rationale: result.value.rationale,
      model: result.model,
      promptVersion: rendered.version,
    };
  }
}

/**
 * Image references, `deployment/name`-style references and names quoted as
 * code in the text that are not among the shown objects.
 */
export function ungroundedNames(text: string, facts: CanaryFacts): string[] {
  const images = new Set([facts.image, facts.previousImage]);
  const names = new Set([
    facts.stable,
    facts.canary,
    facts.namespace,
    facts.cluster,
  ]);
  const found: string[] = [];
  // registry/repo:tag or repo@sha256:…
  for (const [ref] of text.matchAll(
    /\b[a-z0-9][a-z0-9.-]*(?:\/[a-z0-9._-]+)+(?::[A-Za-z0-9._-]+|@sha256:[a-f0-9]+)/g,
  )) {
    if (!images.has(ref)) found.push(ref);
  }
  for (const [, , name] of text.matchAll(
    /\b(deployments?|deploy|services?|svc|namespaces?|ns|statefulsets?|daemonsets?|pods?)\/([a-z0-9][a-z0-9.-]*)/gi,
  )) {
    if (!names.has(name)) found.push(name);
  }
  // Anything quoted as code must be one of the shown names or images.
  for (const [, quoted] of text.matchAll(/`([^`\s]+)`/g)) {
    if (
      !names.has(quoted) &&
      !images.has(quoted) &&
      /[a-z0-9]-|[:/]/.test(quoted)
    ) {
      found.push(quoted);
    }
  }
  return [...new Set(found)];
}

/** The rationale writer, or undefined when no LLM is configured. */
export async function createCanaryRationaleWriter(
  config: Config,
  options?: { llmBudget?: LlmBudgetWrapper },
): Promise<CanaryRationaleWriter | undefined> {
  const model = await configuredModel(config, 'canary-rationale', options);
  return model && new CanaryRationaleWriter(model.client, model.prompt);
}
