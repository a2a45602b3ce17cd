import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ManifestCheckRequest,
  manifestCheckRequestSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { z } from 'zod';
import { parseEntityRefQuery } from './parseEntityRefQuery';
import { parseQuery } from './parseQuery';

/** `POST /yaml/check` */
export function parseManifestCheckRequest(body: unknown): ManifestCheckRequest {
  const parsed = parseQuery(manifestCheckRequestSchema, body ?? {});
  return {
    ...parsed,
    entityRef: stringifyEntityRef(parseEntityRefQuery(parsed.entityRef)),
  };
}

/** `GET /yaml/manifests?entityRef=` */
export function parseManifestsQuery(query: unknown): { entityRef: string } {
  const { entityRef } = parseQuery(
    z.object({
      entityRef: z.string({ error: 'entityRef is required' }).min(1).max(512),
    }),
    query,
  );
  return { entityRef: stringifyEntityRef(parseEntityRefQuery(entityRef)) };
}
