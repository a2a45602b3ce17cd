import { ServiceUnavailableError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ErrorRequestHandler } from 'express';

/** Socket-level codes of a database that cannot be reached or went away. */
const SOCKET_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection lost',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
};

/** node-postgres' (and mysql2's) messages of a connection lost mid-query. */
const LOST_CONNECTION = [
  /Connection terminated/i,
  /Connection ended unexpectedly/i,
  /Client has encountered a connection error and is not queryable/i,
  /Can't add new command when connection is in closed state/i,
];

/**
 * Why `error` means the database is unavailable (a short reason naming no
 * host, port, user, password or statement), or undefined when it does not:
 * the pool's acquire timeout (KnexTimeoutError), a connection refused, reset
 * or cut (a Node socket error, as the driver hands it to knex untouched, or
 * the driver's "connection terminated"), and PostgreSQL's connection
 * exception and shutdown states.
 *
 * Only the error itself is looked at, not its `cause`: `fetch` failures of
 * the Kubernetes, LLM or Prometheus clients carry socket errors as their
 * cause and must not read as the database's. Those clients map their own
 * failures (see kubernetes/errors.ts).
 */
export function databaseUnavailableReason(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as {
    name?: unknown;
    code?: unknown;
    syscall?: unknown;
    message?: unknown;
    errors?: unknown;
  };
  // Node's connect to a name with several addresses fails with all of them.
  if (e.name === 'AggregateError' && Array.isArray(e.errors)) {
    for (const attempt of e.errors) {
      const reason = databaseUnavailableReason(attempt);
      if (reason) return reason;
    }
  }
  if (e.name === 'KnexTimeoutError') {
    return 'timed out waiting for a database connection';
  }
  if (typeof e.code === 'string') {
    // A Node socket error has a `syscall`; node-fetch's FetchError, which
    // copies the code, does not.
    if (typeof e.syscall === 'string' && SOCKET_CODES[e.code]) {
      return SOCKET_CODES[e.code];
    }
    // PostgreSQL SQLSTATE class 08 (connection exception), 57P01–57P03
    // (admin/crash shutdown, cannot connect now).
    if (/^08[0-9A-Z]{3}$/.test(e.code) || /^57P0[123]$/.test(e.code)) {
      return 'the database refused or dropped the connection';
    }
  }
  if (
    typeof e.message === 'string' &&
    LOST_CONNECTION.some(pattern => pattern.test(e.message as string))
  ) {
    return 'the connection was lost';
  }
  return undefined;
}

/**
 * Answers a database that cannot be reached with a 503 rather than a 500
 * carrying the driver's message (which names the host and port, and for a
 * failed query its SQL). The driver's error goes to the log only. Mounted
 * after the routes, before the root error handler; every other error passes
 * through unchanged.
 */
export function mapDatabaseErrors(logger?: LoggerService): ErrorRequestHandler {
  return (error, req, _res, next) => {
    const reason = databaseUnavailableReason(error);
    if (!reason) {
      next(error);
      return;
    }
    logger?.warn(
      `${req.method} ${req.originalUrl}: the database is unavailable: ${error}`,
    );
    next(
      new ServiceUnavailableError(
        `the database is unavailable: ${reason}; try again later`,
      ),
    );
  };
}
