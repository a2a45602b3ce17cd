import { InputError } from '@backstage/errors';
import { PlanAction } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { z } from 'zod';
import { SECRET_ENV_NAME } from '../diagnosis/redaction/redactObject';
import { redactText } from '../diagnosis/redaction/redactText';

/** Default upper bound of `replicas` in any plan (`kubecopilot.plans.maxReplicas`). */
export const DEFAULT_MAX_REPLICAS = 1_000;

/** `nginx`, `registry.local:5000/team/app:1.2`, `app@sha256:…`. */
const IMAGE_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;

const quantity = z.union([
  z
    .string()
    .regex(/^[0-9.]+[a-zA-Z]*$/, 'a Kubernetes quantity, e.g. 500m or 256Mi'),
  z.number().nonnegative(),
]);
const resourceList = z.record(z.string().min(1).max(253), quantity);
const resourcesSchema = z
  .object({
    limits: resourceList.optional(),
    requests: resourceList.optional(),
  })
  .strict();

function replicasSchema(maxReplicas: number) {
  return z
    .number({ error: 'replicas must be a number' })
    .int('replicas must be a whole number')
    .min(0, 'replicas cannot be negative')
    .max(maxReplicas, `replicas cannot exceed ${maxReplicas}`);
}

/** What `update` may change, per container (matched by name). */
const containerChangeSchema = z
  .object({
    image: z
      .string()
      .trim()
      .min(1)
      .max(512)
      .regex(IMAGE_REFERENCE, 'image must be an image reference')
      .optional(),
    resources: resourcesSchema.optional(),
    env: z.record(z.string().min(1).max(253), z.string().max(4_096)).optional(),
  })
  .strict();

/** Parameters as a request (a person, the prompt bar, a model) may give them. */
export function requestParamsSchema(action: PlanAction, maxReplicas: number) {
  switch (action) {
    case 'restart':
    case 'delete':
      return z.object({}).strict();
    case 'scale':
      return z
        .object({
          replicas: replicasSchema(maxReplicas).optional(),
          delta: z
            .number({ error: 'delta must be a number' })
            .int('delta must be a whole number')
            .min(-maxReplicas)
            .max(maxReplicas)
            .optional(),
        })
        .strict()
        .refine(
          p => (p.replicas === undefined) !== (p.delta === undefined),
          'scale takes either replicas (the new count) or delta (the change), not both or neither',
        );
    case 'rollback':
      return z
        .object({
          toRevision: z
            .number({ error: 'toRevision must be a number' })
            .int('toRevision must be a whole number')
            .min(1, 'toRevision must be 1 or more')
            .optional(),
          // "roll back checkout to 2.2.0": the revision that ran this image
          // (a full reference or its tag), resolved against the live revisions.
          toImage: z
            .string()
            .trim()
            .min(1)
            .max(512)
            .regex(IMAGE_REFERENCE, 'toImage must be an image reference or tag')
            .optional(),
        })
        .strict()
        .refine(
          p => p.toRevision === undefined || p.toImage === undefined,
          'rollback takes toRevision or toImage, not both',
        );
    case 'update':
      return z
        .object({
          replicas: replicasSchema(maxReplicas).optional(),
          containers: z
            .record(z.string().min(1).max(63), containerChangeSchema)
            .optional(),
        })
        .strict();
    default:
      return undefined;
  }
}

/**
 * A container's change. An env value of `null` (only in the values a plan
 * replaced, never in a request) means the variable was absent: its revert
 * removes it.
 */
export type ContainerChange = Omit<
  z.infer<typeof containerChangeSchema>,
  'env'
> & { env?: Record<string, string | null> };

/** `update` parameters, validated. */
export interface UpdateParams {
  replicas?: number;
  containers?: Record<string, ContainerChange>;
}

/**
 * Validates a request's parameters for an action: typed, bounded, nothing
 * unknown. A 400 names what is wrong.
 */
export function parseRequestParams(
  action: PlanAction,
  raw: Record<string, unknown>,
  maxReplicas: number,
): Record<string, unknown> {
  const schema = requestParamsSchema(action, maxReplicas);
  if (!schema) throw new InputError(`KubeCopilot cannot ${action} objects`);
  const result = schema.safeParse(raw ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(
      i =>
        `${i.path.length ? `params.${i.path.join('.')}` : 'params'}: ${
          i.message
        }`,
    );
    throw new InputError(
      `invalid parameters for ${action}: ${problems.join('; ')}`,
    );
  }
  return result.data as Record<string, unknown>;
}

/**
 * Whether a literal value would be masked as a credential wherever plans are
 * stored or shown: such a value belongs in a Secret, never in a plan.
 */
export function looksLikeCredential(name: string, value: string): boolean {
  return SECRET_ENV_NAME.test(name) || redactText(value).redactions > 0;
}

/** The 400 for a credential-looking env value, pointing to the fix. */
export function credentialRefused(
  container: string,
  name: string,
  which: 'new' | 'current',
) {
  return new InputError(
    which === 'new'
      ? `the new value of ${name} (container ${container}) looks like a credential; plans never hold secrets: put it in a Secret and reference it with env[].valueFrom.secretKeyRef`
      : `the current value of ${name} (container ${container}) looks like a credential, so a plan could not restore it on revert without storing it; move it to a Secret (env[].valueFrom.secretKeyRef) first`,
  );
}
