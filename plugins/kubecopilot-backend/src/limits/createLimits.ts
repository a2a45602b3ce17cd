import {
  CacheService,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import express from 'express';
import {
  RATE_LIMITED_ROUTES,
  RateLimitedRoute,
  readLimitsConfig,
} from './config';
import { DatabaseLlmUsageStore, utcDay } from './DatabaseLlmUsageStore';
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

/** Days of LLM usage rows kept; older ones are deleted once a day. */
export const LLM_USAGE_RETENTION_DAYS = 90;

/**
 * Reads and checks `kubecopilot.limits` and builds its pieces. With a
 * scheduler, also deletes LLM usage rows older than
 * {@link LLM_USAGE_RETENTION_DAYS} once a day (once across replicas).
 */
export async function createLimits(options: {
  config: Config;
  cache: CacheService;
  httpAuth: HttpAuthService;
  database: DatabaseService;
  logger: LoggerService;
  scheduler?: SchedulerService;
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
  const usage = await DatabaseLlmUsageStore.create({
    database: options.database,
  });
  await options.scheduler?.scheduleTask({
    id: 'kubecopilot-llm-usage-cleanup',
    frequency: { hours: 24 },
    timeout: { minutes: 5 },
    initialDelay: { minutes: 10 },
    fn: async () => {
      const oldest = new Date(
        Date.now() - LLM_USAGE_RETENTION_DAYS * 86_400_000,
      );
      const deleted = await usage.deleteBefore(utcDay(oldest));
      if (deleted > 0) {
        options.logger.info(
          `Deleted ${deleted} LLM usage row(s) older than ${LLM_USAGE_RETENTION_DAYS} days`,
        );
      }
    },
  });
  return {
    maxBodyBytes: limits.maxBodyBytes,
    rateLimits,
    llmBudget: new LlmTokenBudget({
      store: usage,
      tokensPerUserPerDay: limits.llmTokensPerUserPerDay,
      logger: options.logger,
    }),
  };
}
