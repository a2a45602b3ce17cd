import { z } from 'zod';
import {
  CreateBlueGreenPlanRequest,
  createBlueGreenPlanRequestSchema,
  CreateCanaryPlanRequest,
  createCanaryPlanRequestSchema,
  CreatePlanRequest,
  createPlanRequestSchema,
  MAX_INTENT_LENGTH,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { parseEntityRefQuery } from './parseEntityRefQuery';
import { parseQuery } from './parseQuery';
import { stringifyEntityRef } from '@backstage/catalog-model';

export { MAX_INTENT_LENGTH };
export const MAX_COMMENT_LENGTH = 2_000;

/** `POST /plans` */
export function parseCreatePlanRequest(body: unknown): CreatePlanRequest {
  const parsed = parseQuery(createPlanRequestSchema, body ?? {});
  const entityRef = stringifyEntityRef(parseEntityRefQuery(parsed.entityRef));
  return { ...parsed, entityRef } as CreatePlanRequest;
}

/** `POST /plans/:id/approve` */
export function parseApproveRequest(body: unknown): { comment?: string } {
  return parseQuery(
    z
      .object({ comment: z.string().trim().max(MAX_COMMENT_LENGTH).optional() })
      .strict(),
    body ?? {},
  );
}

/** `POST /plans/:id/reject`: a rejection always says why. */
export function parseRejectRequest(body: unknown): { comment: string } {
  return parseQuery(
    z
      .object({
        comment: z
          .string({
            error: 'comment is required: say why the plan is rejected',
          })
          .trim()
          .min(1, 'comment is required: say why the plan is rejected')
          .max(MAX_COMMENT_LENGTH),
      })
      .strict(),
    body ?? {},
  );
}

/** The optional `Idempotency-Key` header of `POST /plans/:id/execute`. */
export function parseIdempotencyKey(header: unknown): string | undefined {
  if (header === undefined) return undefined;
  return parseQuery(
    z
      .string()
      .min(1)
      .max(255)
      .regex(
        /^[\x21-\x7e]+$/,
        'Idempotency-Key must be printable ASCII without spaces',
      ),
    header,
  );
}

/** `:id` route parameter. */
export function parsePlanId(id: unknown): string {
  return parseQuery(
    z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9-]+$/, 'malformed plan id'),
    id,
  );
}

/** `POST /plans/blue-green` */
export function parseCreateBlueGreenPlanRequest(
  body: unknown,
): CreateBlueGreenPlanRequest {
  const parsed = parseQuery(createBlueGreenPlanRequestSchema, body ?? {});
  const entityRef = stringifyEntityRef(parseEntityRefQuery(parsed.entityRef));
  return { ...parsed, entityRef };
}

/** `POST /plans/canary` */
export function parseCreateCanaryPlanRequest(
  body: unknown,
): CreateCanaryPlanRequest {
  const parsed = parseQuery(createCanaryPlanRequestSchema, body ?? {});
  const entityRef = stringifyEntityRef(parseEntityRefQuery(parsed.entityRef));
  return { ...parsed, entityRef };
}

/** `:stepId` route parameter. */
export function parseStepId(id: unknown): string {
  return parseQuery(
    z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9-]+$/, 'malformed step id'),
    id,
  );
}
