export { currentCaller, runAsCaller } from './caller';
export {
  DEFAULT_LIMITS,
  RATE_LIMITED_ROUTES,
  readLimitsConfig,
} from './config';
export type { LimitsConfig, RateLimitedRoute, RateLimitRule } from './config';
export { DatabaseLlmUsageStore, utcDay } from './DatabaseLlmUsageStore';
export type { LlmUsageStore } from './DatabaseLlmUsageStore';
export { LlmTokenBudget } from './LlmTokenBudget';
export type { LlmTokenBudgetOptions } from './LlmTokenBudget';
export { CacheRateLimiter } from './RateLimiter';
export type { CacheRateLimiterOptions, RateLimitDecision } from './RateLimiter';
export { rateLimit, TooManyRequestsError } from './rateLimit';
export type { RateLimitOptions } from './rateLimit';
export { createLimits, LLM_USAGE_RETENTION_DAYS } from './createLimits';
export type { Limits } from './createLimits';
