import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** Position after which the next page starts (keyset pagination). */
export interface PlanCursor {
  /** `created_at` of the last plan of the previous page, epoch milliseconds. */
  createdAt: number;
  id: string;
}

const cursorSchema = z.object({
  createdAt: z.number().int().nonnegative(),
  id: z.string().min(1).max(64),
});

export function encodePlanCursor(cursor: PlanCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** @throws InputError when the cursor was not made by {@link encodePlanCursor}. */
export function decodePlanCursor(cursor: string): PlanCursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError('Invalid cursor');
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) {
    throw new InputError('Invalid cursor');
  }
  return parsed.data;
}
