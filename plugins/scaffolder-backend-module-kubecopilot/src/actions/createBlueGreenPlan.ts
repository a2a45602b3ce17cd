import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CreateBlueGreenPlanRequest,
  createBlueGreenPlanRequestSchema,
  MAX_BLUE_GREEN_BAKE_SECONDS,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  checkRequest,
  draftRollout,
  rolloutOutput,
  rolloutRequestFields,
  rolloutTargetInput,
} from './rolloutAction';

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
        description:
          'Blue-green a new checkout image, switching after green holds < 1% errors',
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
        ...rolloutTargetInput,
        workload: z =>
          z.string().min(1).max(253).describe('The live (blue) Deployment'),
        service: z =>
          z
            .string()
            .min(1)
            .max(253)
            .optional()
            .describe(
              'The Service to switch; default the one that selects the Deployment',
            ),
        maxErrorRatePercent: z =>
          z
            .number()
            .min(0)
            .max(100)
            .optional()
            .describe(
              "Do not switch (or switch back) when green's error rate exceeds this percentage",
            ),
        maxP99LatencyMs: z =>
          z
            .number()
            .positive()
            .max(600_000)
            .optional()
            .describe(
              "Do not switch (or switch back) when green's p99 latency exceeds this many milliseconds",
            ),
        confirmSwitch: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Pause for a person to confirm before the switch (default false)',
            ),
        bakeSeconds: z =>
          z
            .number()
            .int()
            .min(0)
            .max(MAX_BLUE_GREEN_BAKE_SECONDS)
            .optional()
            .describe(
              'How long blue is kept after the switch while green is watched (default 300)',
            ),
      },
      output: rolloutOutput,
    },
    async handler(ctx) {
      const request = toRequest(ctx.input);
      await draftRollout(
        ctx,
        { discovery, auth },
        {
          kind: 'blue-green',
          path: '/plans/blue-green',
          request,
          key: `${request.entityRef}-${request.target.name}-${request.image}`,
          description: `${request.image} for ${request.target.name}`,
        },
      );
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
  return checkRequest(
    createBlueGreenPlanRequestSchema,
    {
      ...rolloutRequestFields(input),

      ...(input.service ? { service: input.service } : {}),
      ...(input.confirmSwitch !== undefined
        ? { confirmSwitch: input.confirmSwitch }
        : {}),
      ...(input.bakeSeconds !== undefined
        ? { bakeSeconds: input.bakeSeconds }
        : {}),
    },
    'blue-green',
  );
}
