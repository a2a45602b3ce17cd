import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  findingStatusSchema,
  severitySchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { z } from 'zod';
import type { FindingQuery } from '../../findings/types';
import { parseEntityRefQuery } from './parseEntityRefQuery';
import { parseQuery } from './parseQuery';

const schema = z
  .object({
    status: findingStatusSchema.optional(),
    entityRef: z.string().min(1).max(512).optional(),
    owner: z.string().min(1).max(512).optional(),
    severity: severitySchema.optional(),
    cluster: z.string().min(1).max(253).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict();

/** `GET /findings?status=&entityRef=&owner=&severity=&cluster=&limit=` */
export function parseFindingsQuery(
  query: unknown,
): Omit<FindingQuery, 'filter'> {
  const parsed = parseQuery(schema, query);
  const ref = (value: string | undefined, defaultKind: string) =>
    value
      ? stringifyEntityRef(
          parseEntityRefQuery(
            value.includes(':') ? value : `${defaultKind}:${value}`,
          ),
        )
      : undefined;
  return {
    ...(parsed.status && { status: parsed.status }),
    ...(parsed.entityRef && { entityRef: ref(parsed.entityRef, 'component') }),
    ...(parsed.owner && { ownerRef: ref(parsed.owner, 'group') }),
    ...(parsed.severity && { severity: parsed.severity }),
    ...(parsed.cluster && { cluster: parsed.cluster }),
    ...(parsed.limit && { limit: parsed.limit }),
  };
}
