import { z } from 'zod';
import { LlmClient, PromptTemplate, renderPrompt, LlmUsage } from '../llm';
import { PlanTarget } from '../plans/targets';

/** What the model must answer: one typed action, or a refusal. */
export const llmPlanSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('plan'),
    action: z.enum(['restart', 'scale', 'rollback', 'delete']),
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
        toRevision: z.number().int().min(1).max(1_000_000).optional(),
        toImage: z.string().min(1).max(512).optional(),
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

type LlmIntentAction = 'restart' | 'scale' | 'rollback' | 'delete';

type LlmPlanParams = {
  replicas?: number;
  delta?: number;
  toRevision?: number;
  toImage?: string;
};

/**
 * The parameters an action takes, and only those: the change model refuses
 * any others, so a model's stray `replicas` on a restart is dropped here,
 * not turned into a 400 the user cannot act on. Values are checked again by
 * the change model (a revision or image must exist in the live history).
 */
function paramsFor(
  action: LlmIntentAction,
  params: LlmPlanParams = {},
): LlmPlanParams {
  const pick = (keys: Array<keyof LlmPlanParams>) =>
    Object.fromEntries(
      keys.filter(k => params[k] !== undefined).map(k => [k, params[k]]),
    ) as LlmPlanParams;
  if (action === 'scale') return pick(['replicas', 'delta']);
  if (action === 'rollback') return pick(['toRevision', 'toImage']);
  return {};
}

export type LlmIntentResult =
  | {
      ok: true;
      action: LlmIntentAction;
      target: PlanTarget;
      params: LlmPlanParams;
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
        reason: `${result.message}, and the rules could not read this intent; try "restart <name>", "scale <name> to <n>", "roll back <name> to <tag>" or "delete pod <name>"`,
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
      params: paramsFor(answer.action, answer.params),
      rationale: answer.rationale,
      usage: result.usage,
      ...base,
    };
  }
}
