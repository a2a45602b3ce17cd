import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { z as zod } from 'zod';
import type { z as zodV3 } from 'zod/v3';
import { draftPlan, planUrl } from './kubecopilotClient';

/**
 * What the canary and blue-green actions share: the target and gate inputs,
 * the outputs, and drafting the plan once per task step (a retried step
 * reuses the plan it drafted).
 */

/** The zod the scaffolder hands to schema functions. */
type Z = typeof zodV3;

/** The inputs that name the Deployment and the image. */
export const rolloutTargetInput = {
  entityRef: (z: Z) =>
    z
      .string()
      .min(1)
      .max(512)
      .describe(
        'The catalog entity that owns the Deployment, e.g. component:default/checkout',
      ),
  cluster: (z: Z) =>
    z
      .string()
      .min(1)
      .max(253)
      .optional()
      .describe('Its cluster, when the entity has the Deployment in several'),
  namespace: (z: Z) =>
    z
      .string()
      .min(1)
      .max(253)
      .optional()
      .describe('Its namespace, when ambiguous'),
  image: (z: Z) =>
    z
      .string()
      .min(1)
      .max(512)
      .describe(
        'A full image reference, or just a tag for the current repository (e.g. 2.4.0)',
      ),
  container: (z: Z) =>
    z
      .string()
      .min(1)
      .max(63)
      .optional()
      .describe('The container to update; default the first'),
};

/** What both actions output. */
export const rolloutOutput = {
  planId: (z: Z) => z.string().describe('The id of the drafted plan'),
  planUrl: (z: Z) => z.string().describe('Where to review and approve it'),
  riskLevel: (z: Z) => z.string().describe('low, medium or high'),
  status: (z: Z) => z.string().describe('The plan status (pending)'),
  steps: (z: Z) => z.number().describe('How many rollout steps the plan has'),
};

/** The request fields both backends take, from the action's input. */
export function rolloutRequestFields(input: {
  entityRef: string;
  workload: string;
  cluster?: string;
  namespace?: string;
  image: string;
  container?: string;
  maxErrorRatePercent?: number;
  maxP99LatencyMs?: number;
}) {
  return {
    entityRef: input.entityRef,
    target: {
      name: input.workload,
      ...(input.cluster ? { cluster: input.cluster } : {}),
      ...(input.namespace ? { namespace: input.namespace } : {}),
    },
    image: input.image,
    ...(input.container ? { container: input.container } : {}),
    ...(input.maxErrorRatePercent !== undefined
      ? { maxErrorRate: input.maxErrorRatePercent / 100 }
      : {}),
    ...(input.maxP99LatencyMs !== undefined
      ? { maxP99LatencyMs: input.maxP99LatencyMs }
      : {}),
  };
}

/** The request checked against the backend's schema before anything is sent. */
export function checkRequest<S extends zod.ZodTypeAny>(
  schema: S,
  body: unknown,
  what: string,
): zod.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new InputError(
      `Invalid ${what} input: ${parsed.error.issues
        .map(i => `${i.path.join('.') || 'input'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}

/**
 * Drafts the plan as the user who runs the template (or says what it would
 * draft on a dry run) and sets the outputs.
 */
export async function draftRollout(
  ctx: ActionContext<any, any, 'v2'>,
  services: { discovery: DiscoveryService; auth: AuthService },
  draft: {
    kind: 'canary' | 'blue-green';
    path: '/plans/canary' | '/plans/blue-green';
    request: unknown;
    key: string;
    description: string;
  },
): Promise<void> {
  if (ctx.isDryRun) {
    ctx.logger.info(
      `Dry run: would draft a KubeCopilot ${draft.kind} of ${draft.description}`,
    );
    ctx.output('planId', 'dry-run');
    ctx.output('planUrl', '/kubecopilot/inbox');
    ctx.output('riskLevel', 'unknown');
    ctx.output('status', 'dry-run');
    ctx.output('steps', 0);
    return;
  }
  const plan = await ctx.checkpoint({
    key: `kubecopilot-${draft.kind}-${draft.key}`,
    fn: async () => {
      const created = await draftPlan(
        services,
        await ctx.getInitiatorCredentials(),
        draft.path,
        draft.request,
      );
      return {
        id: created.id,
        riskLevel: created.risk.level,
        status: created.status,
        rationale: created.risk.rationale,
        steps: (created.steps ?? []).filter(s => s.phase !== 'rollback').length,
      };
    },
  });
  ctx.logger.info(
    `Drafted KubeCopilot ${draft.kind} plan ${plan.id} with ${plan.steps} steps (${plan.riskLevel} risk: ${plan.rationale})`,
  );
  ctx.output('planId', plan.id);
  ctx.output('planUrl', planUrl(plan.id));
  ctx.output('riskLevel', plan.riskLevel);
  ctx.output('status', plan.status);
  ctx.output('steps', plan.steps);
}
