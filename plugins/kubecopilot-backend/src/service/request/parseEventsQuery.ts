import {
  EVENT_TYPES,
  EVENTS_DEFAULT_LIMIT,
  EVENTS_MAX_LIMIT,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { z } from 'zod';
import type { EventsQuery } from '../../events/types';
import { parseEntityRefQuery } from './parseEntityRefQuery';
import { parseQuery } from './parseQuery';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d{1,6})([smhd])$/;

const schema = z.object({
  entityRef: z.string({ error: 'entityRef is required' }).min(1).max(512),
  since: z
    .string()
    .refine(v => DURATION.test(v) || !Number.isNaN(Date.parse(v)), {
      message:
        'since must be an ISO-8601 time or a duration like 30m, 6h or 7d',
    })
    .optional(),
  type: z
    .enum(EVENT_TYPES, {
      error: `type must be one of ${EVENT_TYPES.join(', ')}`,
    })
    .optional(),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(EVENTS_MAX_LIMIT, `limit must be at most ${EVENTS_MAX_LIMIT}`)
    .default(EVENTS_DEFAULT_LIMIT),
});

/**
 * `GET /events?entityRef=[&since=][&type=Warning|Normal][&limit=]`; `since`
 * is a time or a duration back from `now`.
 */
export function parseEventsQuery(
  query: unknown,
  now: Date = new Date(),
): EventsQuery {
  const parsed = parseQuery(schema, query);
  let since: Date | undefined;
  if (parsed.since) {
    const duration = parsed.since.match(DURATION);
    since = duration
      ? new Date(
          now.getTime() -
            Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS],
        )
      : new Date(parsed.since);
  }
  return {
    entityRef: parseEntityRefQuery(parsed.entityRef),
    ...(since && { since }),
    ...(parsed.type && { type: parsed.type }),
    limit: parsed.limit,
  };
}
