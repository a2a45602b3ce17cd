import {
  createPostmortemRequestSchema,
  CreatePostmortemRequest,
  updatePostmortemRequestSchema,
  UpdatePostmortemRequest,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { z } from 'zod';
import { parseQuery } from './parseQuery';

/** `POST /postmortems` `{ entityRef, from, to }` (ISO 8601 times). */
export function parseCreatePostmortemRequest(
  body: unknown,
): CreatePostmortemRequest {
  return parseQuery(createPostmortemRequestSchema, body ?? {});
}

/** `PUT /postmortems/:id` `{ markdown, baseVersion }`. */
export function parseUpdatePostmortemRequest(
  body: unknown,
): UpdatePostmortemRequest {
  return parseQuery(updatePostmortemRequestSchema, body ?? {});
}

const getSchema = z
  .object({
    format: z.enum(['json', 'markdown']).default('json'),
    version: z.coerce.number().int().min(1).optional(),
  })
  .strict();

/** `GET /postmortems/:id?format=json|markdown&version=` */
export function parseGetPostmortemQuery(query: unknown) {
  return parseQuery(getSchema, query);
}

const listSchema = z
  .object({
    entityRef: z.string({ error: 'entityRef is required' }).min(1).max(512),
  })
  .strict();

/** `GET /postmortems?entityRef=` */
export function parseListPostmortemsQuery(query: unknown) {
  return parseQuery(listSchema, query);
}
