import { z } from 'zod';
import { LlmClient, PromptTemplate, renderPrompt, LlmUsage } from '../llm';
import { PlanTarget } from '../plans/targets';

/** What the model must answer: one typed action, or a refusal. */
export const llmPlanSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('plan'),
    action: z.enum(['restart', 'scale', 'delete']),
    target: z.object({
      kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet', 'Pod']),
      namespace: z.string().max(253),
      name: z.string().min(1).max(253),
      cluster: z.string().min(1).max(253),
    }),
    params: z
      .object({
        replicas: z.number().int().min(0).max(1_000).optional(),
        delta: z.number().int().min(-1_000).max(1_000).optional(),
      })
      .optional(),
    rationale: z.string().min(1).max(1_000),
  }),
  z.object({
    kind: z.literal('cannot-plan'),
    reason: z.string().min(1).max(1_000),
  }),
]);
export type LlmPlan = z.infer<typeof llmPlanSchema>;

export type LlmIntentResult =
  | {
      ok: true;
      action: 'restart' | 'scale' | 'delete';
      target: PlanTarget;
      params: { replicas?: number; delta?: number };
      rationale: string;
      model: string;
      promptVersion: string;
      usage: LlmUsage;
    }
  | { ok: false; reason: string; model: string; promptVersion: string };

/**
 * Asks the model to map a free-form intent onto one of the entity's targets.
 * The model only proposes: its answer must name a target from the list
 * verbatim, and the plan builder re-checks the whitelist and everything else.
 */
export class LlmIntentPlanner {
  constructor(
    private readonly llm: LlmClient,
    private readonly prompt: PromptTemplate,
    private readonly allowedActions: Record<string, string[]>,
  ) {}

  async plan(input: {
    entityRef: string;
    intent: string;
    targets: PlanTarget[];
    signal?: AbortSignal;
  }): Promise<LlmIntentResult> {
    const rendered = renderPrompt(this.prompt, {
      entityRef: input.entityRef,
      intent: input.intent,
      targets: input.targets
        .map(t => `- ${t.kind} ${t.namespace}/${t.name} (cluster ${t.cluster})`)
        .join('\n'),
      actions: Object.entries(this.allowedActions)
        .map(([kind, actions]) => `- ${kind}: ${actions.join(', ')}`)
        .join('\n'),
    });
    const base = { model: this.llm.model, promptVersion: rendered.version };
    const result = await this.llm.completeJson({
      schemaName: 'kubecopilot_plan',
      schema: llmPlanSchema,
      system: rendered.system,
      user: rendered.user,
      signal: input.signal,
    });
    if (!result.ok && result.reason === 'budget-exhausted') {
      return {
        ok: false,
        reason: `${result.message}, and the rules could not read this intent; try "restart <name>", "scale <name> to <n>" or "delete pod <name>"`,
        ...base,
      };
    }
    if (!result.ok) {
      return { ok: false, reason: `the model could not plan this (${result.message})`, ...base };
    }
    const answer = result.value;
    if (answer.kind === 'cannot-plan') {
      return { ok: false, reason: answer.reason, ...base };
    }
    const target = input.targets.find(
      t =>
        t.kind === answer.target.kind &&
        t.namespace === answer.target.namespace &&
        t.name === answer.target.name &&
        t.cluster === answer.target.cluster,
    );
    if (!target) {
      return {
        ok: false,
        reason: `the model chose ${answer.target.kind} ${answer.target.namespace}/${answer.target.name}, which is not a workload of ${input.entityRef}`,
        ...base,
      };
    }
    if (!(this.allowedActions[target.kind] ?? []).includes(answer.action)) {
      return {
        ok: false,
        reason: `the model chose ${answer.action} on ${target.kind}, which is not allowed`,
        ...base,
      };
    }
    return {
      ok: true,
      action: answer.action,
      target,
      // Only a scale takes parameters; the change model refuses any others,
      // so a model's stray `replicas` on a restart is dropped here, not
      // turned into a 400 the user cannot act on.
      params: answer.action === 'scale' ? answer.params ?? {} : {},
      rationale: answer.rationale,
      usage: result.usage,
      ...base,
    };
  }
}
