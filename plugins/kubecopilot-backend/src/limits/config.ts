import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** The route classes that call (or may call) the LLM, each rate-limited on its own. */
export const RATE_LIMITED_ROUTES = ['diagnoses', 'plans', 'query'] as const;
export type RateLimitedRoute = (typeof RATE_LIMITED_ROUTES)[number];

export interface RateLimitRule {
  /** Requests one caller may make per window. */
  limit: number;
  windowSeconds: number;
}

/** `kubecopilot.limits.*`, with defaults applied and checked at start-up. */
export interface LimitsConfig {
  /** Byte cap of a JSON request body; a larger body is refused with 413. */
  maxBodyBytes: number;
  rateLimit: {
    enabled: boolean;
  } & Record<RateLimitedRoute, RateLimitRule>;
  /** LLM tokens one caller may spend per UTC day; 0 means unlimited. */
  llmTokensPerUserPerDay: number;
}

export const DEFAULT_LIMITS: LimitsConfig = {
  maxBodyBytes: 64 * 1024,
  rateLimit: {
    enabled: true,
    diagnoses: { limit: 30, windowSeconds: 60 },
    plans: { limit: 30, windowSeconds: 60 },
    query: { limit: 60, windowSeconds: 60 },
  },
  llmTokensPerUserPerDay: 0,
};

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_WINDOW_SECONDS = 24 * 60 * 60;

/**
 * Reads `kubecopilot.limits`. A wrong type or an out-of-range value fails the
 * start-up with the key's full name, rather than running with no limit.
 */
export function readLimitsConfig(root: Config): LimitsConfig {
  const config = root.getOptionalConfig('kubecopilot.limits');
  const maxBodyBytes =
    config?.getOptionalNumber('maxBodyBytes') ?? DEFAULT_LIMITS.maxBodyBytes;
  integerIn('kubecopilot.limits.maxBodyBytes', maxBodyBytes, 1, MAX_BODY_BYTES);

  const llmTokensPerUserPerDay =
    config?.getOptionalNumber('llmTokensPerUserPerDay') ??
    DEFAULT_LIMITS.llmTokensPerUserPerDay;
  integerIn(
    'kubecopilot.limits.llmTokensPerUserPerDay',
    llmTokensPerUserPerDay,
    0,
    Number.MAX_SAFE_INTEGER,
  );

  const rateLimitConfig = config?.getOptionalConfig('rateLimit');
  const rules = {} as Record<RateLimitedRoute, RateLimitRule>;
  for (const route of RATE_LIMITED_ROUTES) {
    const rule = rateLimitConfig?.getOptionalConfig(route);
    const key = `kubecopilot.limits.rateLimit.${route}`;
    const limit =
      rule?.getOptionalNumber('limit') ?? DEFAULT_LIMITS.rateLimit[route].limit;
    const windowSeconds =
      rule?.getOptionalNumber('windowSeconds') ??
      DEFAULT_LIMITS.rateLimit[route].windowSeconds;
    integerIn(`${key}.limit`, limit, 1, 1_000_000);
    integerIn(`${key}.windowSeconds`, windowSeconds, 1, MAX_WINDOW_SECONDS);
    rules[route] = { limit, windowSeconds };
  }

  return {
    maxBodyBytes,
    llmTokensPerUserPerDay,
    rateLimit: {
      enabled:
        rateLimitConfig?.getOptionalBoolean('enabled') ??
        DEFAULT_LIMITS.rateLimit.enabled,
      ...rules,
    },
  };
}

function integerIn(key: string, value: number, min: number, max: number) {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(
      `${key} must be a whole number between ${min} and ${max}; got ${value}`,
    );
  }
}
