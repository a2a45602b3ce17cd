import { stringifyEntityRef } from '@backstage/catalog-model';
import { planStatusSchema } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { z } from 'zod';
import { PlanListQuery } from '../../plans/types';
import { parseEntityRefQuery } from './parseEntityRefQuery';
import { parseQuery } from './parseQuery';

export const DEFAULT_PLAN_PAGE_SIZE = 20;
export const MAX_PLAN_PAGE_SIZE = 100;

const schema = z.object({
  status: planStatusSchema.optional(),
  entityRef: z.string().min(1).optional(),
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PLAN_PAGE_SIZE)
    .default(DEFAULT_PLAN_PAGE_SIZE),
});

/** `GET /plans?status=&entityRef=&cursor=&limit=` */
export function parseListPlansQuery(query: unknown): PlanListQuery {
  const parsed = parseQuery(schema, query);
  return {
    limit: parsed.limit,
    ...(parsed.status && { status: parsed.status }),
    ...(parsed.entityRef && {
      entityRef: stringifyEntityRef(parseEntityRefQuery(parsed.entityRef)),
    }),
    ...(parsed.cursor && { cursor: parsed.cursor }),
  };
}
