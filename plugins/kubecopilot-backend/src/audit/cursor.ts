import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../database/cursor';

/** The id of the last entry of the previous page: the next page is older. */
const cursorSchema = z.object({ id: z.number().int().positive() });

export function encodeAuditCursor(lastId: number): string {
  return encodeCursor({ id: lastId });
}

/** @throws InputError when the cursor was not made by {@link encodeAuditCursor}. */
export function decodeAuditCursor(cursor: string): number {
  return decodeCursor(cursor, cursorSchema).id;
}
