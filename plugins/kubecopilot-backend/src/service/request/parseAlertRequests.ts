import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  AlertmanagerWebhook,
  alertmanagerWebhookSchema,
  alertStatusSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { z } from 'zod';
import type { AlertQuery } from '../../alerts/types';
import { parseEntityRefQuery } from './parseEntityRefQuery';
import { parseQuery } from './parseQuery';

/** `POST /alerts`: Alertmanager's webhook payload, version 4. */
export function parseAlertmanagerWebhook(body: unknown): AlertmanagerWebhook {
  return parseQuery(alertmanagerWebhookSchema, body ?? {});
}

const listSchema = z
  .object({
    status: alertStatusSchema.optional(),
    entityRef: z.string().min(1).max(512).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict();

/** `GET /alerts?status=&entityRef=&limit=` */
export function parseListAlertsQuery(
  query: unknown,
): Omit<AlertQuery, 'filter'> {
  const parsed = parseQuery(listSchema, query);
  return {
    ...(parsed.status && { status: parsed.status }),
    ...(parsed.entityRef && {
      entityRef: stringifyEntityRef(parseEntityRefQuery(parsed.entityRef)),
    }),
    ...(parsed.limit && { limit: parsed.limit }),
  };
}
