import { stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { AuditListQuery } from '../../audit/AuthorizedAuditReader';
import { decodeAuditCursor } from '../../audit/cursor';
import { parseEntityRefQuery } from './parseEntityRefQuery';
import { parseQuery } from './parseQuery';

export const DEFAULT_AUDIT_PAGE_SIZE = 200;
export const MAX_AUDIT_PAGE_SIZE = 1_000;

const schema = z.object({
  planId: z.string().min(1).max(64).optional(),
  entityRef: z.string().min(1).max(512).optional(),
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_AUDIT_PAGE_SIZE)
    .default(DEFAULT_AUDIT_PAGE_SIZE),
});

/** `GET /audit?planId=&entityRef=&cursor=&limit=` */
export function parseAuditQuery(query: unknown): AuditListQuery {
  const parsed = parseQuery(schema, query);
  // Checked here so a forged cursor is a 400 before any other work.
  if (parsed.cursor) decodeAuditCursor(parsed.cursor);
  return {
    limit: parsed.limit,
    ...(parsed.planId && { planId: parsed.planId }),
    ...(parsed.entityRef && {
      entityRef: stringifyEntityRef(parseEntityRefQuery(parsed.entityRef)),
    }),
    ...(parsed.cursor && { cursor: parsed.cursor }),
  };
}
