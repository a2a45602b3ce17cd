import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CreateBlueGreenPlanRequest,
  createBlueGreenPlanRequestSchema,
  MAX_BLUE_GREEN_BAKE_SECONDS,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { draftPlan, planUrl } from './kubecopilotClient';

/**
 * `kubecopilot:plan:create-blue-green`: drafts a KubeCopilot blue-green plan,
 * as the user who runs the template: `<name>-green` with the new image
 * beside the live Deployment, gated on its error rate and p99 latency from
 * Prometheus while it takes no traffic, one switch of the Service's
 * selector, a bake, then blue scaled to 0 — or a switch back. The plan waits
 * in the approval inbox; nothing changes until someone approves and
 * executes it. A retried task step reuses the plan it drafted.
 */
export function createKubecopilotBlueGreenPlanAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const { discovery, auth } = options;
  return createTemplateAction({
    id: 'kubecopilot:plan:create-blue-green',
    description:
      "Drafts a KubeCopilot blue-green plan: run a new image as <name>-green beside a Deployment, check it with error-rate and p99 gates from Prometheus, switch the Service's traffic to it at once, bake, then remove blue — or switch back. It waits for approval in the KubeCopilot inbox.",
    supportsDryRun: true,
    examples: [
      {
        description: 'Blue-green a new checkout image, switching after green holds < 1% errors',
        example: `steps:
  - id: blue-green
    name: Draft the blue-green plan
    action: kubecopilot:plan:create-blue-green
    input:
      entityRef: component:default/checkout
      workload: checkout
      image: ghcr.io/acme/checkout:2.4.0
      maxErrorRatePercent: 1
      maxP99LatencyMs: 500
      confirmSwitch: true
      bakeSeconds: 300`,
      },
    ],
    schema: {
      input: {
        entityRef: z =>
          z.string().min(1).max(512).describe('The catalog entity that owns the Deployment, e.g. component:default/checkout'),
        workload: z => z.string().min(1).max(253).describe('The live (blue) Deployment'),
        service: z =>
          z.string().min(1).max(253).optional().describe('The Service to switch; default the one that selects the Deployment'),
        cluster: z => z.string().min(1).max(253).optional().describe('Its cluster, when the entity has the Deployment in several'),
        namespace: z => z.string().min(1).max(253).optional().describe('Its namespace, when ambiguous'),
        image: z =>
          z.string().min(1).max(512).describe('A full image reference, or just a tag for the current repository (e.g. 2.4.0)'),
        container: z => z.string().min(1).max(63).optional().describe('The container to update; default the first'),
        maxErrorRatePercent: z =>
          z.number().min(0).max(100).optional().describe("Do not switch (or switch back) when green's error rate exceeds this percentage"),
        maxP99LatencyMs: z =>
          z.number().positive().max(600_000).optional().describe("Do not switch (or switch back) when green's p99 latency exceeds this many milliseconds"),
        confirmSwitch: z =>
          z.boolean().optional().describe('Pause for a person to confirm before the switch (default false)'),
        bakeSeconds: z =>
          z
            .number()
            .int()
            .min(0)
            .max(MAX_BLUE_GREEN_BAKE_SECONDS)
            .optional()
            .describe('How long blue is kept after the switch while green is watched (default 300)'),
      },
      output: {
        planId: z => z.string().describe('The id of the drafted plan'),
        planUrl: z => z.string().describe('Where to review and approve it'),
        riskLevel: z => z.string().describe('low, medium or high'),
        status: z => z.string().describe('The plan status (pending)'),
        steps: z => z.number().describe('How many rollout steps the plan has'),
      },
    },
    async handler(ctx) {
      const request = toRequest(ctx.input);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would draft a KubeCopilot blue-green of ${request.image} for ${request.target.name}`,
        );
        ctx.output('planId', 'dry-run');
        ctx.output('planUrl', '/kubecopilot/inbox');
        ctx.output('riskLevel', 'unknown');
        ctx.output('status', 'dry-run');
        ctx.output('steps', 0);
        return;
      }
      const plan = await ctx.checkpoint({
        key: `kubecopilot-blue-green-${request.entityRef}-${request.target.name}-${request.image}`,
        fn: async () => {
          const created = await draftPlan(
            { discovery, auth },
            await ctx.getInitiatorCredentials(),
            '/plans/blue-green',
            request,
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
        `Drafted KubeCopilot blue-green plan ${plan.id} with ${plan.steps} steps (${plan.riskLevel} risk: ${plan.rationale})`,
      );
      ctx.output('planId', plan.id);
      ctx.output('planUrl', planUrl(plan.id));
      ctx.output('riskLevel', plan.riskLevel);
      ctx.output('status', plan.status);
      ctx.output('steps', plan.steps);
    },
  });
}

/** The backend request from the action input, checked before anything is sent. */
function toRequest(input: {
  entityRef: string;
  workload: string;
  service?: string;
  cluster?: string;
  namespace?: string;
  image: string;
  container?: string;
  maxErrorRatePercent?: number;
  maxP99LatencyMs?: number;
  confirmSwitch?: boolean;
  bakeSeconds?: number;
}): CreateBlueGreenPlanRequest {
  const parsed = createBlueGreenPlanRequestSchema.safeParse({
    entityRef: input.entityRef,
    target: {
      name: input.workload,
      ...(input.cluster ? { cluster: input.cluster } : {}),
      ...(input.namespace ? { namespace: input.namespace } : {}),
    },
    ...(input.service ? { service: input.service } : {}),
    image: input.image,
    ...(input.container ? { container: input.container } : {}),
    ...(input.maxErrorRatePercent !== undefined
      ? { maxErrorRate: input.maxErrorRatePercent / 100 }
      : {}),
    ...(input.maxP99LatencyMs !== undefined
      ? { maxP99LatencyMs: input.maxP99LatencyMs }
      : {}),
    ...(input.confirmSwitch !== undefined
      ? { confirmSwitch: input.confirmSwitch }
      : {}),
    ...(input.bakeSeconds !== undefined ? { bakeSeconds: input.bakeSeconds } : {}),
  });
  if (!parsed.success) {
    throw new InputError(
      `Invalid blue-green input: ${parsed.error.issues
        .map(i => `${i.path.join('.') || 'input'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}
