import { z } from 'zod';

const targetName = z.string().min(1).max(253);

/** Longest bake time of a blue-green plan, in seconds. @public */
export const MAX_BLUE_GREEN_BAKE_SECONDS = 3_600;

/**
 * `POST /api/kubecopilot/plans/blue-green` body (also the scaffolder
 * action's input): run the new image as `<name>-green` beside the live
 * Deployment (blue), check it with SLI gates while it takes no traffic,
 * then move the Service's traffic to it in one switch, keep blue for a bake
 * time, and remove blue — or switch back.
 *
 * @public
 */
export const createBlueGreenPlanRequestSchema = z
  .object({
    entityRef: z.string().min(1).max(512),
    /** The live (blue) Deployment; cluster and namespace may be left out when the entity has one match. */
    target: z
      .object({
        cluster: targetName.optional(),
        namespace: targetName.optional(),
        name: targetName,
      })
      .strict(),
    /** The Service whose selector is switched; default the one whose selector matches the Deployment's pods. */
    service: targetName.optional(),
    /** A full image reference, or just a tag (`2.4.0`) for the current image's repository. */
    image: z
      .string()
      .trim()
      .min(1)
      .max(512)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/, 'image must be an image reference or a tag'),
    container: z.string().min(1).max(63).optional(),
    /** Switch back (or never switch) when green's error ratio (0–1) exceeds this. */
    maxErrorRate: z.number().min(0).max(1).optional(),
    /** Switch back (or never switch) when green's p99 latency in milliseconds exceeds this. */
    maxP99LatencyMs: z.number().positive().max(600_000).optional(),
    analysis: z
      .object({
        delaySeconds: z.number().int().min(0).max(3_600).optional(),
        intervalSeconds: z.number().int().min(1).max(3_600).optional(),
        samples: z.number().int().min(1).max(100).optional(),
        window: z
          .string()
          .regex(/^[1-9][0-9]{0,3}[smh]$/, 'window must look like 30s, 1m or 1h')
          .optional(),
      })
      .strict()
      .optional(),
    /** Pause for a person to confirm before the switch. */
    confirmSwitch: z.boolean().default(false),
    /** How long blue is kept, and green's gates re-checked under full traffic, after the switch. */
    bakeSeconds: z.number().int().min(0).max(MAX_BLUE_GREEN_BAKE_SECONDS).default(300),
    rationale: z.string().max(2_000).optional(),
  })
  .strict();
/** @public */
export type CreateBlueGreenPlanRequest = z.infer<
  typeof createBlueGreenPlanRequestSchema
>;
