import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../database/cursor';

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
  return encodeCursor(cursor);
}

/** @throws InputError when the cursor was not made by {@link encodePlanCursor}. */
export function decodePlanCursor(cursor: string): PlanCursor {
  return decodeCursor(cursor, cursorSchema);
}
