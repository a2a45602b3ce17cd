import { CompoundEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { parseEntityRefQuery } from './parseEntityRefQuery';
import { parseQuery } from './parseQuery';

const schema = z.object({
  entityRef: z.string({ error: 'entityRef is required' }).min(1),
  relations: z
    .enum(['true', 'false'], { error: "relations must be 'true' or 'false'" })
    .optional(),
});

/** `GET /workloads?entityRef=[&relations=true]` */
export function parseWorkloadsQuery(query: unknown): {
  entityRef: CompoundEntityRef;
  relations: boolean;
} {
  const { entityRef, relations } = parseQuery(schema, query);
  return {
    entityRef: parseEntityRefQuery(entityRef),
    relations: relations === 'true',
  };
}
