import {
  CacheService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CustomErrorBase } from '@backstage/errors';
import express from 'express';
import { principalOf } from '../identity/actor';
import { runAsCaller } from './caller';
import { CacheRateLimiter } from './RateLimiter';

/**
 * Too many requests from one caller. `MiddlewareFactory.error()` (the root
 * error handler) answers with `statusCode` and the usual Backstage error body
 * (`{ error: { name, message }, request, response: { statusCode } }`).
 */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  readonly statusCode = 429;

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export interface RateLimitOptions {
  cache: CacheService;
  httpAuth: HttpAuthService;
  /** Requests one caller may make per window. */
  limit: number;
  windowSeconds: number;
  /** The route class (`diagnoses`, `plans`, `query`): named in keys and errors. */
  name: string;
  /**
   * False counts nothing, but still identifies the caller for the LLM token
   * budget. Default true.
   */
  enabled?: boolean;
  /** Told when the cache fails; the request is then let through. */
  logger?: LoggerService;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
}

/**
 * Express middleware limiting each caller (user entity ref, or a service
 * principal's subject, from `httpAuth.credentials`) to `limit` requests per
 * `windowSeconds` on the routes it is mounted on, counted in the cache
 * service (see {@link CacheRateLimiter} for how exact that is and when it
 * holds across replicas).
 *
 * Every counted response carries `RateLimit-Limit`, `RateLimit-Remaining` and
 * `RateLimit-Policy` (IETF draft `ratelimit-headers`); a refused request is
 * answered 429 with `Retry-After` in seconds. The rest of the request runs
 * {@link runAsCaller} the caller, which is how LLM calls below it are charged
 * to the caller's daily token budget.
 *
 * A request without user or service credentials is rejected here (401), as
 * the routes behind it would. If the cache cannot be read or written, the
 * request is let through and the failure logged: an unavailable cache must
 * not take the API down.
 */
export function rateLimit(options: RateLimitOptions): express.RequestHandler {
  const limiter = new CacheRateLimiter(options);
  const enabled = options.enabled ?? true;
  const policy = `${limiter.limit};w=${limiter.windowSeconds}`;

  return async (req, res, next) => {
    let caller: string | undefined;
    try {
      const credentials = await options.httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      caller = principalOf(credentials);
      const refusal = caller && enabled ? await check(caller, res) : undefined;
      if (refusal) {
        next(refusal);
        return;
      }
    } catch (error) {
      next(error);
      return;
    }
    if (caller) runAsCaller(caller, () => next());
    else next();
  };

  /** Counts the request; the error to answer with when it is over the limit. */
  async function check(
    caller: string,
    res: express.Response,
  ): Promise<TooManyRequestsError | undefined> {
    let decision;
    try {
      decision = await limiter.hit(caller);
    } catch (error) {
      options.logger?.warn(
        `Rate limit '${options.name}' not applied: the cache failed (${error})`,
      );
      return undefined;
    }
    res.setHeader('RateLimit-Limit', String(decision.limit));
    res.setHeader('RateLimit-Remaining', String(decision.remaining));
    res.setHeader('RateLimit-Policy', policy);
    if (decision.allowed) return undefined;
    const retryAfter = decision.retryAfterSeconds ?? decision.windowSeconds;
    res.setHeader('Retry-After', String(retryAfter));
    return new TooManyRequestsError(
      `Too many ${options.name} requests: at most ${decision.limit} per ${decision.windowSeconds} s for ${caller}; retry after ${retryAfter} s`,
      retryAfter,
    );
  }
}
