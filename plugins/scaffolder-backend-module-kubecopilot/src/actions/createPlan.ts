import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { draftPlan, planUrl } from './kubecopilotClient';

/**
 * `kubecopilot:plan:create`: drafts a KubeCopilot operation plan from an
 * intent, as the user who runs the template. The plan waits in the approval
 * inbox like any other: nothing changes in the cluster until a person
 * approves and executes it. A retried task step reuses the plan it drafted
 * (checkpoint) instead of drafting a second one.
 */
export function createKubecopilotPlanAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const { discovery, auth } = options;
  return createTemplateAction({
    id: 'kubecopilot:plan:create',
    description:
      'Drafts a KubeCopilot operation plan (e.g. "restart checkout", "scale checkout to 5") for an entity; it waits for approval in the KubeCopilot inbox.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Scale a service ahead of a sale',
        example: `steps:
  - id: plan
    name: Draft a scale plan
    action: kubecopilot:plan:create
    input:
      entityRef: component:default/checkout
      intent: scale checkout to 5`,
      },
      {
        description: 'Restart a service after a configuration change',
        example: `steps:
  - id: plan
    name: Draft a restart plan
    action: kubecopilot:plan:create
    input:
      entityRef: \${{ parameters.entity }}
      intent: restart \${{ parameters.workload }}`,
      },
    ],
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .max(512)
            .describe(
              'The catalog entity whose workload the plan acts on, e.g. component:default/checkout',
            ),
        intent: z =>
          z
            .string()
            .min(1)
            .max(500)
            .describe(
              'What to do, e.g. "restart checkout" or "scale checkout to 5"',
            ),
      },
      output: {
        planId: z => z.string().describe('The id of the drafted plan'),
        planUrl: z => z.string().describe('Where to review and approve it'),
        riskLevel: z => z.string().describe('low, medium or high'),
        status: z => z.string().describe('The plan status (pending)'),
      },
    },
    async handler(ctx) {
      const { entityRef, intent } = ctx.input;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would draft a KubeCopilot plan for ${entityRef}: "${intent}"`,
        );
        ctx.output('planId', 'dry-run');
        ctx.output('planUrl', '/kubecopilot/inbox');
        ctx.output('riskLevel', 'unknown');
        ctx.output('status', 'dry-run');
        return;
      }
      const plan = await ctx.checkpoint({
        key: `kubecopilot-plan-${entityRef}-${intent}`,
        fn: async () => {
          const created = await draftPlan(
            { discovery, auth },
            await ctx.getInitiatorCredentials(),
            '/plans',
            { entityRef, intent },
          );
          return {
            id: created.id,
            riskLevel: created.risk.level,
            status: created.status,
            rationale: created.risk.rationale,
          };
        },
      });
      ctx.logger.info(
        `Drafted KubeCopilot plan ${plan.id} (${plan.riskLevel} risk: ${plan.rationale})`,
      );
      ctx.output('planId', plan.id);
      ctx.output('planUrl', planUrl(plan.id));
      ctx.output('riskLevel', plan.riskLevel);
      ctx.output('status', plan.status);
    },
  });
}
