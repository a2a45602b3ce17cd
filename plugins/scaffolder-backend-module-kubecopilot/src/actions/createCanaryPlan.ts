import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { z as zodV3 } from 'zod/v3';
import {
  CreateCanaryPlanRequest,
  createCanaryPlanRequestSchema,
  MAX_CANARY_STEPS,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  checkRequest,
  draftRollout,
  rolloutOutput,
  rolloutRequestFields,
  rolloutTargetInput,
} from './rolloutAction';

/** The zod the scaffolder hands to schema functions. */
type Z = typeof zodV3;

/** Template snippets shown in the scaffolder's action list. */
const CANARY_EXAMPLES = [
  {
    description:
      'Canary a new checkout image at 10%, then 50%, rolling back on errors or latency',
    example: `steps:
  - id: canary
    name: Draft the canary plan
    action: kubecopilot:plan:create-canary
    input:
      entityRef: component:default/checkout
      workload: checkout
      image: ghcr.io/acme/checkout:2.4.0
      steps: [10, 50, 100]
      maxErrorRatePercent: 1
      maxP99LatencyMs: 500
      confirmPromotion: true`,
  },
  {
    description:
      'From template parameters, with a slower analysis and an explicit cluster',
    example: `steps:
  - id: canary
    name: Draft the canary plan
    action: kubecopilot:plan:create-canary
    input:
      entityRef: \${{ parameters.entity }}
      workload: \${{ parameters.workload }}
      cluster: production-eu
      namespace: shop
      image: \${{ parameters.tag }}
      maxErrorRatePercent: 0.5
      analysis:
        delaySeconds: 60
        intervalSeconds: 60
        samples: 5
        window: 2m`,
  },
];

/** The action's input: the rollout target, the canary steps and their gates. */
const canaryInput = {
  ...rolloutTargetInput,
  workload: (z: Z) =>
    z
      .string()
      .min(1)
      .max(253)
      .describe('The stable Deployment to roll the image out to'),
  steps: (z: Z) =>
    z
      .array(z.number().int().min(1).max(100))
      .min(1)
      .max(MAX_CANARY_STEPS)
      .optional()
      .describe(
        'Share of pods on the new image at each step, increasing, in percent; default [10, 50, 100]',
      ),
  maxErrorRatePercent: (z: Z) =>
    z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe(
        "Roll back when the canary's error rate exceeds this percentage",
      ),
  maxP99LatencyMs: (z: Z) =>
    z
      .number()
      .positive()
      .max(600_000)
      .optional()
      .describe(
        "Roll back when the canary's p99 latency exceeds this many milliseconds",
      ),
  confirmPromotion: (z: Z) =>
    z
      .boolean()
      .optional()
      .describe(
        'Pause for a person to confirm before promoting to every pod (default false)',
      ),
  analysis: (z: Z) =>
    z
      .object({
        delaySeconds: z.number().int().min(0).max(3_600).optional(),
        intervalSeconds: z.number().int().min(1).max(3_600).optional(),
        samples: z.number().int().min(1).max(100).optional(),
        window: z.string().optional(),
      })
      .optional()
      .describe(
        'How each gate samples Prometheus; default from kubecopilot.canary.analysis',
      ),
};

/**
 * `kubecopilot:plan:create-canary`: drafts a KubeCopilot canary plan, as the
 * user who runs the template: a canary Deployment with the new image, grown
 * step by step, each step gated on the canary's error rate and p99 latency
 * from Prometheus, then promotion, with rollback steps for a failed gate.
 * The plan waits in the approval inbox; nothing changes until someone
 * approves and executes it. A retried task step reuses the plan it drafted.
 */
export function createKubecopilotCanaryPlanAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const { discovery, auth } = options;
  return createTemplateAction({
    id: 'kubecopilot:plan:create-canary',
    description:
      'Drafts a KubeCopilot canary plan: roll a new image out to a Deployment through a canary, step by step, gated on error rate and p99 latency from Prometheus, with automatic rollback. It waits for approval in the KubeCopilot inbox.',
    supportsDryRun: true,
    examples: CANARY_EXAMPLES,
    schema: {
      input: canaryInput,
      output: rolloutOutput,
    },
    async handler(ctx) {
      const request = toRequest(ctx.input);
      await draftRollout(
        ctx,
        { discovery, auth },
        {
          kind: 'canary',
          path: '/plans/canary',
          request,
          key: `${request.entityRef}-${request.target.name}-${
            request.image
          }-${request.steps.join(',')}`,
          description: `${request.image} for ${
            request.target.name
          } (${request.steps.join('% → ')}%)`,
        },
      );
    },
  });
}

/** The backend request from the action input, checked before anything is sent. */
function toRequest(input: {
  entityRef: string;
  workload: string;
  cluster?: string;
  namespace?: string;
  image: string;
  container?: string;
  steps?: number[];
  maxErrorRatePercent?: number;
  maxP99LatencyMs?: number;
  confirmPromotion?: boolean;
  analysis?: Record<string, unknown>;
}): CreateCanaryPlanRequest {
  return checkRequest(
    createCanaryPlanRequestSchema,
    {
      ...rolloutRequestFields(input),

      ...(input.steps ? { steps: input.steps } : {}),
      ...(input.confirmPromotion !== undefined
        ? { confirmPromotion: input.confirmPromotion }
        : {}),
      ...(input.analysis ? { analysis: input.analysis } : {}),
    },
    'canary',
  );
}
