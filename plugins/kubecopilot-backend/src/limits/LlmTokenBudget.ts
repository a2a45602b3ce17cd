import { LoggerService } from '@backstage/backend-plugin-api';
import { LlmClient, LlmJsonRequest, LlmResult } from '../llm';
import { currentCaller } from './caller';
import { LlmUsageStore, utcDay } from './DatabaseLlmUsageStore';

export interface LlmTokenBudgetOptions {
  store: LlmUsageStore;
  /** `kubecopilot.limits.llmTokensPerUserPerDay`; 0 means unlimited. */
  tokensPerUserPerDay: number;
  logger: LoggerService;
  /** Tests pass a fake clock. */
  now?: () => Date;
}

/**
 * The daily LLM token budget of each caller
 * (`kubecopilot.limits.llmTokensPerUserPerDay`).
 *
 * {@link LlmTokenBudget.wrap} puts it in front of an {@link LlmClient}: the
 * caller is the one the rate limit middleware set with `runAsCaller`. Before
 * a call, a caller whose spend for the UTC day has reached the cap gets a
 * `budget-exhausted` failure without the model being asked, so the rules
 * answer (a diagnosis) or the request is refused with the reason (a plan the
 * deterministic parser could not read). After a call, the tokens the endpoint
 * reported (prompt + completion, also of failed attempts) are added to the
 * caller's row in one atomic statement.
 *
 * The check is made before the call and the charge after it, so one call
 * may overshoot the cap by its own size, and concurrent calls of one caller
 * may all pass the check: the cap is approximate, the accounting exact. A
 * model answer served from the diagnosis cache costs nothing and is served
 * even when the budget is spent. Spend is recorded also when the cap is 0
 * (unlimited), so that a cap can be chosen from real figures. Calls made
 * outside any request (no caller) are neither checked nor charged.
 */
export class LlmTokenBudget {
  readonly #options: LlmTokenBudgetOptions;
  readonly #now: () => Date;

  constructor(options: LlmTokenBudgetOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  get tokensPerUserPerDay(): number {
    return this.#options.tokensPerUserPerDay;
  }

  /** `client`, checked against and charged to the current caller's budget. */
  wrap(client: LlmClient): LlmClient {
    return {
      provider: client.provider,
      model: client.model,
      completeJson: <T>(request: LlmJsonRequest<T>): Promise<LlmResult<T>> =>
        this.#complete(client, request),
    };
  }

  /**
   * Why `caller` may not call the model today, or undefined when it may.
   * A failing database lets the call through: the budget is a cost guard,
   * not a reason to stop diagnosing.
   */
  async exhausted(caller: string): Promise<string | undefined> {
    const cap = this.#options.tokensPerUserPerDay;
    if (cap <= 0) return undefined;
    let spent: number;
    try {
      spent = await this.#options.store.spent(caller, utcDay(this.#now()));
    } catch (error) {
      this.#options.logger.warn(
        `LLM token budget not checked for ${caller}: ${error}`,
      );
      return undefined;
    }
    return spent >= cap
      ? `daily LLM token budget of ${cap} tokens reached for ${caller}`
      : undefined;
  }

  async #complete<T>(
    client: LlmClient,
    request: LlmJsonRequest<T>,
  ): Promise<LlmResult<T>> {
    const caller = currentCaller();
    if (!caller) return client.completeJson(request);
    const day = utcDay(this.#now());
    const reason = await this.exhausted(caller);
    if (reason) {
      this.#options.logger.info(`LLM call skipped: ${reason}`);
      return {
        ok: false,
        reason: 'budget-exhausted',
        message: reason,
        model: client.model,
        attempts: 0,
      };
    }
    const result = await client.completeJson(request);
    const tokens =
      (result.usage?.promptTokens ?? 0) + (result.usage?.completionTokens ?? 0);
    if (tokens > 0) {
      try {
        await this.#options.store.add(caller, day, tokens);
      } catch (error) {
        this.#options.logger.warn(
          `LLM usage of ${tokens} tokens not recorded for ${caller}: ${error}`,
        );
      }
    }
    return result;
  }
}
