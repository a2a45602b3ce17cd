import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { actorOf } from '../identity/actor';
import {
  CacheRateLimiter,
  RATE_LIMITED_ROUTES,
  RateLimitedRoute,
  readLimitsConfig,
  runAsCaller,
  TooManyRequestsError,
} from '../limits';

/** The plugin that serves the actions registry over MCP. */
export const MCP_ACTIONS_PLUGIN = 'plugin:mcp-actions';

/** Who calls an action, and through what. */
export interface AgentCaller {
  /** The user entity ref (or service subject) whose credentials the call carries. */
  principal: string;
  principalType: 'user' | 'service';
  /** The plugin that invoked the action for them, as its token says. */
  invokedBy?: string;
  /** `mcp` when that plugin is the MCP actions plugin. */
  channel: 'mcp' | 'actions';
}

/**
 * The caller of an action. A user's call forwarded by a plugin carries the
 * plugin as the token's actor; a service's call is the plugin itself (a
 * static external-access token is exchanged for the MCP plugin's own
 * token on the way, so the external subject does not reach this plugin).
 */
export function callerOf(credentials: BackstageCredentials): AgentCaller {
  const principal = actorOf(credentials, 'use KubeCopilot actions');
  const p = credentials.principal as {
    type: 'user' | 'service';
    subject?: string;
    actor?: { subject?: string };
  };
  const invokedBy = p.type === 'user' ? p.actor?.subject : p.subject;
  return {
    principal,
    principalType: p.type,
    ...(invokedBy ? { invokedBy } : {}),
    channel: invokedBy === MCP_ACTIONS_PLUGIN ? 'mcp' : 'actions',
  };
}

export interface AgentCallOptions {
  /** The HTTP route class whose per-caller limit this call counts against. */
  rateLimit?: RateLimitedRoute;
  severityLevel?: AuditorServiceEventSeverityLevel;
  /** Only users may do this (as `allow: ['user']` on the HTTP route). */
  usersOnly?: string;
  /** What the call is about (entity ref, plan id, client name), for the audit event. */
  meta?: Record<string, string | number | boolean | undefined>;
}

/**
 * What every action call goes through, as an HTTP request goes through its
 * middleware: the caller identified, the same per-caller rate limit as the
 * matching HTTP route (the same counters: an agent and the portal share one
 * budget), LLM tokens charged to the caller, and one auditor event naming
 * the action, the principal and the client, marked success or failure.
 */
export class AgentActionGuard {
  private readonly limiters = new Map<RateLimitedRoute, CacheRateLimiter>();
  private readonly limitsEnabled: boolean;

  constructor(
    private readonly options: {
      auditor: AuditorService;
      cache: CacheService;
      config: Config;
      logger: LoggerService;
    },
  ) {
    const limits = readLimitsConfig(options.config);
    this.limitsEnabled = limits.rateLimit.enabled;
    for (const name of RATE_LIMITED_ROUTES) {
      this.limiters.set(
        name,
        new CacheRateLimiter({
          cache: options.cache,
          name,
          ...limits.rateLimit[name],
        }),
      );
    }
  }

  async run<T>(
    action: string,
    credentials: BackstageCredentials,
    options: AgentCallOptions,
    fn: (caller: AgentCaller) => Promise<T>,
  ): Promise<T> {
    const caller = callerOf(credentials);
    const event = await this.options.auditor.createEvent({
      eventId: 'agent-action',
      severityLevel: options.severityLevel ?? 'low',
      meta: json({
        action: `kubecopilot:${action}`,
        principal: caller.principal,
        invokedBy: caller.invokedBy,
        channel: caller.channel,
        ...options.meta,
      }),
    });
    try {
      if (options.usersOnly && caller.principalType !== 'user') {
        throw new NotAllowedError(options.usersOnly);
      }
      if (options.rateLimit) await this.count(options.rateLimit, caller);
      const result = await runAsCaller(caller.principal, () => fn(caller));
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  private async count(route: RateLimitedRoute, caller: AgentCaller) {
    if (!this.limitsEnabled) return;
    let decision;
    try {
      decision = await this.limiters.get(route)!.hit(caller.principal);
    } catch (error) {
      this.options.logger.warn(
        `Rate limit '${route}' not applied to an action: the cache failed (${error})`,
      );
      return;
    }
    if (!decision.allowed) {
      const retryAfter = decision.retryAfterSeconds ?? decision.windowSeconds;
      throw new TooManyRequestsError(
        `Too many ${route} requests: at most ${decision.limit} per ${decision.windowSeconds} s for ${caller.principal}; retry after ${retryAfter} s`,
        retryAfter,
      );
    }
  }
}

type JsonObject = NonNullable<
  Parameters<AuditorService['createEvent']>[0]['meta']
>;

function json(meta: Record<string, unknown>): JsonObject {
  return Object.fromEntries(
    Object.entries(meta).filter(([, v]) => v !== undefined),
  ) as JsonObject;
}
