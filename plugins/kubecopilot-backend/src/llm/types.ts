import { z } from 'zod';

/** Which kind of endpoint `kubecopilot.llm` points at. */
export type LlmProvider =
  | 'none'
  | 'openai'
  | 'azure-openai'
  | 'openai-compatible';

/** Why a model call produced no usable answer. Each maps to a visible note. */
export type LlmFailureReason =
  | 'timeout'
  | 'rate-limited'
  | 'server-error'
  | 'network'
  | 'malformed'
  | 'invalid-schema'
  | 'refusal'
  | 'truncated'
  | 'request-rejected'
  /** The caller's daily token budget (`kubecopilot.limits`) is spent: not asked. */
  | 'budget-exhausted';

/** Tokens spent on one call, as the endpoint reported them. */
export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
}

/** A model call's outcome: never thrown, so callers can always fall back. */
export type LlmResult<T> =
  | { ok: true; value: T; model: string; usage: LlmUsage; attempts: number }
  | {
      ok: false;
      reason: LlmFailureReason;
      message: string;
      model: string;
      usage?: LlmUsage;
      attempts: number;
    };

/** A structured request: the answer must be JSON matching `schema`. */
export interface LlmJsonRequest<T> {
  /** Short identifier of the answer shape, sent as the JSON schema name. */
  schemaName: string;
  schema: z.ZodType<T>;
  system: string;
  user: string;
  signal?: AbortSignal;
}

/**
 * The only way KubeCopilot talks to a model. It proposes; deterministic code
 * validates what comes back, so implementations return data, never actions.
 */
export interface LlmClient {
  readonly provider: Exclude<LlmProvider, 'none'>;
  readonly model: string;
  completeJson<T>(request: LlmJsonRequest<T>): Promise<LlmResult<T>>;
}
