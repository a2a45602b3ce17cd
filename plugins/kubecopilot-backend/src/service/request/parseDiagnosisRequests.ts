import { stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import type { DiagnosisTarget } from '../../diagnosis/types';
import { parseEntityRefQuery } from './parseEntityRefQuery';
import { parseQuery } from './parseQuery';

export const DEFAULT_DIAGNOSES_PAGE_SIZE = 10;
export const MAX_DIAGNOSES_PAGE_SIZE = 50;

// DNS-1123 subdomain (names, namespaces, cluster names are at most this).
const name = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.:]*[A-Za-z0-9])?$/, 'malformed name');

const createSchema = z
  .object({
    entityRef: z.string({ error: 'entityRef is required' }).min(1).max(512),
    target: z
      .object({
        cluster: name.optional(),
        kind: z
          .string({ error: 'target.kind is required' })
          .min(1)
          .max(63)
          .regex(/^[A-Za-z][A-Za-z0-9]*$/, 'malformed kind'),
        namespace: name.optional(),
        name,
      })
      .strict()
      .optional(),
  })
  .strict();

/** `POST /diagnoses` `{ entityRef, target?: { cluster?, kind, namespace?, name } }` */
export function parseCreateDiagnosisRequest(body: unknown): {
  entityRef: string;
  target?: DiagnosisTarget;
} {
  const parsed = parseQuery(createSchema, body ?? {});
  return {
    entityRef: stringifyEntityRef(parseEntityRefQuery(parsed.entityRef)),
    ...(parsed.target ? { target: parsed.target } : {}),
  };
}

const listSchema = z.object({
  entityRef: z.string({ error: 'entityRef is required' }).min(1).max(512),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_DIAGNOSES_PAGE_SIZE)
    .default(DEFAULT_DIAGNOSES_PAGE_SIZE),
});

/** `GET /diagnoses?entityRef=&limit=` */
export function parseListDiagnosesQuery(query: unknown): {
  entityRef: string;
  limit: number;
} {
  const parsed = parseQuery(listSchema, query);
  return {
    entityRef: stringifyEntityRef(parseEntityRefQuery(parsed.entityRef)),
    limit: parsed.limit,
  };
}
