import { InputError } from '@backstage/errors';
import { z } from 'zod';

/**
 * Keyset pagination cursors: the position after which the next page starts,
 * as opaque base64url JSON. Opaque to clients, validated on the way back in.
 */
export function encodeCursor(position: object): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** @throws InputError when the cursor was not made by {@link encodeCursor} from a `schema` value. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError('Invalid cursor');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new InputError('Invalid cursor');
  }
  return parsed.data;
}
