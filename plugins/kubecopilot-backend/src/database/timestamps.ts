/**
 * Reads a timestamp column. PostgreSQL hands back a Date; better-sqlite3
 * stores the milliseconds knex bound and hands back a number.
 */
export function readTimestamp(value: Date | number | string): Date {
  if (value instanceof Date) {
    return value;
  }
  return new Date(
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  );
}
