import {
  CacheService,
  DatabaseService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import express from 'express';
import { RATE_LIMITED_ROUTES, RateLimitedRoute, readLimitsConfig } from './config';
import { DatabaseLlmUsageStore } from './DatabaseLlmUsageStore';
import { LlmTokenBudget } from './LlmTokenBudget';
import { rateLimit } from './rateLimit';

/** Everything `kubecopilot.limits` configures, ready for `plugin.ts` to wire. */
export interface Limits {
  /** For `express.json` in `createRouter`. */
  maxBodyBytes: number;
  /** For `createDiagnosisService` and `createIntentPlanner`. */
  llmBudget: LlmTokenBudget;
  /** One middleware per LLM-backed route. */
  rateLimits: Record<RateLimitedRoute, express.RequestHandler>;
}

/** Reads and checks `kubecopilot.limits` and builds its pieces. */
export async function createLimits(options: {
  config: Config;
  cache: CacheService;
  httpAuth: HttpAuthService;
  database: DatabaseService;
  logger: LoggerService;
}): Promise<Limits> {
  const limits = readLimitsConfig(options.config);
  const rateLimits = {} as Limits['rateLimits'];
  for (const name of RATE_LIMITED_ROUTES) {
    rateLimits[name] = rateLimit({
      cache: options.cache,
      httpAuth: options.httpAuth,
      logger: options.logger,
      name,
      enabled: limits.rateLimit.enabled,
      ...limits.rateLimit[name],
    });
  }
  return {
    maxBodyBytes: limits.maxBodyBytes,
    rateLimits,
    llmBudget: new LlmTokenBudget({
      store: await DatabaseLlmUsageStore.create({ database: options.database }),
      tokensPerUserPerDay: limits.llmTokensPerUserPerDay,
      logger: options.logger,
    }),
  };
}
