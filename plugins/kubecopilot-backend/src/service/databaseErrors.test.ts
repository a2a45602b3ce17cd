import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { KnexTimeoutError } from 'knex';
import { databaseUnavailableReason, mapDatabaseErrors } from './databaseErrors';

const withCode = (message: string, code: string) =>
  Object.assign(new Error(message), { code });
/** A Node socket error, as net hands it to the driver. */
const socketError = (message: string, code: string, syscall = 'connect') =>
  Object.assign(new Error(message), { code, errno: -111, syscall });

describe('databaseUnavailableReason', () => {
  it.each([
    [
      'a refused connection',
      socketError('connect ECONNREFUSED 10.0.0.5:5432', 'ECONNREFUSED'),
      'connection refused',
    ],
    [
      'a reset connection',
      socketError('read ECONNRESET', 'ECONNRESET', 'read'),
      'connection reset',
    ],
    [
      'the pool acquire timeout',
      new KnexTimeoutError(
        'Knex: Timeout acquiring a connection. The pool is probably full.',
      ),
      'timed out waiting for a database connection',
    ],
    [
      'a connection lost mid-query (knex prefixes the SQL)',
      new Error(
        'update "kubecopilot_plans" set "plan" = $1 - Connection terminated unexpectedly',
      ),
      'the connection was lost',
    ],
    [
      'PostgreSQL shutting down',
      withCode('terminating connection due to administrator command', '57P01'),
      'the database refused or dropped the connection',
    ],
    [
      'a connection exception',
      withCode('connection failure', '08006'),
      'the database refused or dropped the connection',
    ],
    [
      'an AggregateError of connect attempts (happy eyeballs)',
      Object.assign(
        new AggregateError([
          socketError('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'),
        ]),
        { code: 'ECONNREFUSED' },
      ),
      'connection refused',
    ],
  ])('recognises %s', (_name, error, reason) => {
    expect(databaseUnavailableReason(error)).toBe(reason);
  });

  it.each([
    ['a conflict', new ConflictError('revision changed')],
    ['a missing plan', new NotFoundError('no such plan')],
    ['a unique violation', withCode('duplicate key value', '23505')],
    ['a syntax error', withCode('syntax error at or near "x"', '42601')],
    ['a non-error', 'ECONNREFUSED'],
    [
      "another service's fetch failure (socket error as the cause)",
      new TypeError('fetch failed', {
        cause: socketError('connect ECONNREFUSED 10.0.0.9:443', 'ECONNREFUSED'),
      }),
    ],
    [
      "node-fetch's FetchError (code copied, no syscall)",
      Object.assign(new Error('request to https://k8s failed'), {
        name: 'FetchError',
        type: 'system',
        code: 'ECONNREFUSED',
      }),
    ],
    ['Redis going away', new Error('Connection is closed.')],
    ['nothing', undefined],
  ])('leaves alone %s', (_name, error) => {
    expect(databaseUnavailableReason(error)).toBeUndefined();
  });
});

describe('mapDatabaseErrors', () => {
  const req = { method: 'GET', originalUrl: '/plans' } as any;

  it('turns an unreachable database into a 503 naming no host, user or SQL', () => {
    const logger = mockServices.logger.mock();
    const next = jest.fn();
    const raw = new Error(
      'select * from "kubecopilot_plans" - connect ECONNREFUSED db.internal:5432 (postgresql://kc:s3cret@db.internal/kc)',
    );
    mapDatabaseErrors(logger)(
      Object.assign(raw, { code: 'ECONNREFUSED', syscall: 'connect' }),
      req,
      {} as any,
      next,
    );
    const mapped = next.mock.calls[0][0];
    expect(mapped.name).toBe('ServiceUnavailableError');
    expect(mapped.message).toBe(
      'the database is unavailable: connection refused; try again later',
    );
    expect(mapped.cause).toBeUndefined();
    // The driver's message is for operators, in the log.
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('ECONNREFUSED db.internal:5432'),
    );
  });

  it('passes every other error through unchanged', () => {
    const next = jest.fn();
    const error = new ConflictError('revision changed');
    mapDatabaseErrors()(error, req, {} as any, next);
    expect(next).toHaveBeenCalledWith(error);
  });
});
