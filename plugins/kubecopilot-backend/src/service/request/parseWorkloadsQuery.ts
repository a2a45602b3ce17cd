import { CompoundEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { parseEntityRefQuery } from './parseEntityRefQuery';
import { parseQuery } from './parseQuery';

const schema = z.object({
  entityRef: z.string({ error: 'entityRef is required' }).min(1),
});

/** `GET /workloads?entityRef=` */
export function parseWorkloadsQuery(query: unknown): {
  entityRef: CompoundEntityRef;
} {
  const { entityRef } = parseQuery(schema, query);
  return { entityRef: parseEntityRefQuery(entityRef) };
}
