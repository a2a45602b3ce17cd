import OpenAI, { AzureOpenAI } from 'openai';
import { z } from 'zod';
import { LlmConfig } from './config';
import {
  LlmClient,
  LlmFailureReason,
  LlmJsonRequest,
  LlmResult,
  LlmUsage,
} from './types';

type Fetch = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/** Anything the retry loop needs to know about one failed attempt. */
interface AttemptFailure {
  reason: LlmFailureReason;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
}

const FENCE = /^```/;

/**
 * Talks to OpenAI, Azure OpenAI or any OpenAI-compatible endpoint (Ollama,
 * vLLM, LiteLLM) through the official `openai` SDK.
 *
 * The SDK's own retries are off: this class owns the policy so that the whole
 * call, retries included, fits in `timeoutMs`, a `Retry-After` longer than
 * `maxRetryAfterMs` gives up instead of waiting, and every failure becomes a
 * typed result the caller can fall back from.
 */
export class OpenAiLlmClient implements LlmClient {
  readonly provider: LlmClient['provider'];
  readonly model: string;
  readonly #client: OpenAI;
  readonly #config: LlmConfig;

  static fromConfig(config: LlmConfig, options?: { fetch?: Fetch }) {
    if (config.provider === 'none') {
      throw new Error('OpenAiLlmClient needs a provider other than none');
    }
    const common = {
      apiKey: config.apiKey ?? 'unused',
      maxRetries: 0,
      timeout: config.timeoutMs,
      fetch: options?.fetch,
    };
    const client =
      config.provider === 'azure-openai'
        ? new AzureOpenAI({
            ...common,
            endpoint: config.baseUrl,
            apiVersion: config.apiVersion,
            deployment: config.deployment ?? config.model,
          })
        : new OpenAI({ ...common, baseURL: config.baseUrl });
    return new OpenAiLlmClient(client, config);
  }

  private constructor(client: OpenAI, config: LlmConfig) {
    this.#client = client;
    this.#config = config;
    this.provider = config.provider as LlmClient['provider'];
    this.model = config.model;
  }

  async completeJson<T>(request: LlmJsonRequest<T>): Promise<LlmResult<T>> {
    const deadline = Date.now() + this.#config.timeoutMs;
    const usage: LlmUsage = { promptTokens: 0, completionTokens: 0 };
    let attempts = 0;
    let last: AttemptFailure = {
      reason: 'timeout',
      message: 'no attempt was made',
      retryable: false,
    };

    while (attempts <= this.#config.maxRetries) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        last = timeoutFailure(this.#config.timeoutMs);
        break;
      }
      attempts += 1;
      const outcome = await this.#attempt(request, remaining, usage);
      if ('value' in outcome) {
        return {
          ok: true,
          value: outcome.value,
          model: this.model,
          usage,
          attempts,
        };
      }
      last = outcome;
      if (!outcome.retryable || attempts > this.#config.maxRetries) break;

      const wait =
        outcome.retryAfterMs ?? backoffMs(attempts, this.#config.timeoutMs);
      if (
        outcome.retryAfterMs !== undefined &&
        wait > this.#config.maxRetryAfterMs
      ) {
        last = {
          ...outcome,
          message: `${outcome.message}; Retry-After ${Math.ceil(
            wait / 1000,
          )} s exceeds the ${Math.round(
            this.#config.maxRetryAfterMs / 1000,
          )} s bound`,
        };
        break;
      }
      if (Date.now() + wait >= deadline) {
        last = {
          ...outcome,
          message: `${outcome.message}; no time left to retry within ${
            this.#config.timeoutMs
          } ms`,
        };
        break;
      }
      if (!(await sleep(wait, request.signal))) break;
    }
    return {
      ok: false,
      reason: last.reason,
      message: last.message,
      model: this.model,
      usage: usage.promptTokens || usage.completionTokens ? usage : undefined,
      attempts,
    };
  }

  async #attempt<T>(
    request: LlmJsonRequest<T>,
    remainingMs: number,
    usage: LlmUsage,
  ): Promise<{ value: T } | AttemptFailure> {
    const timeout = AbortSignal.timeout(remainingMs);
    const signal = request.signal
      ? AbortSignal.any([request.signal, timeout])
      : timeout;
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await this.#client.chat.completions.create(
        {
          model: this.model,
          messages: [
            { role: 'system', content: request.system },
            { role: 'user', content: request.user },
          ],
          temperature: 0,
          max_completion_tokens: this.#config.maxCompletionTokens,
          response_format:
            this.#config.responseFormat === 'json_schema'
              ? {
                  type: 'json_schema',
                  json_schema: {
                    name: request.schemaName,
                    schema: z.toJSONSchema(request.schema, {
                      io: 'input',
                      unrepresentable: 'any',
                    }) as Record<string, unknown>,
                  },
                }
              : { type: 'json_object' },
        },
        { signal, timeout: remainingMs, maxRetries: 0 },
      );
    } catch (error) {
      if (timeout.aborted) return timeoutFailure(this.#config.timeoutMs);
      return classifyError(error);
    }

    usage.promptTokens += completion.usage?.prompt_tokens ?? 0;
    usage.completionTokens += completion.usage?.completion_tokens ?? 0;

    const choice = completion.choices?.[0];
    if (!choice) {
      return {
        reason: 'malformed',
        message: 'the answer had no choices',
        retryable: false,
      };
    }
    if (choice.message?.refusal) {
      return {
        reason: 'refusal',
        message: `the model refused: ${truncate(choice.message.refusal, 200)}`,
        retryable: false,
      };
    }
    if (choice.finish_reason === 'content_filter') {
      return {
        reason: 'refusal',
        message: 'the answer was stopped by a content filter',
        retryable: false,
      };
    }
    if (choice.finish_reason === 'length') {
      return {
        reason: 'truncated',
        message: `the answer was cut off at ${
          this.#config.maxCompletionTokens
        } tokens (finish_reason: length)`,
        retryable: false,
      };
    }
    const content = choice.message?.content?.trim() ?? '';
    if (FENCE.test(content)) {
      return {
        reason: 'malformed',
        message:
          'the answer was wrapped in a Markdown code fence instead of plain JSON',
        retryable: false,
      };
    }
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch {
      return {
        reason: 'malformed',
        message: `the answer is not valid JSON (${content.length} characters)`,
        retryable: false,
      };
    }
    const parsed = request.schema.safeParse(json);
    if (!parsed.success) {
      return {
        reason: 'invalid-schema',
        message: `the answer does not match the ${
          request.schemaName
        } schema: ${truncate(
          parsed.error.issues
            .slice(0, 3)
            .map(i => `${i.path.join('.') || '(root)'}: ${i.message}`)
            .join('; '),
          300,
        )}`,
        retryable: false,
      };
    }
    return { value: parsed.data };
  }
}

function classifyError(error: unknown): AttemptFailure {
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return {
      reason: 'timeout',
      message: 'the endpoint did not answer in time',
      retryable: true,
    };
  }
  if (error instanceof OpenAI.APIUserAbortError) {
    return {
      reason: 'timeout',
      message: 'the request was cancelled',
      retryable: false,
    };
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return {
      reason: 'network',
      message: `could not reach the endpoint (${error.message})`,
      retryable: true,
    };
  }
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0;
    if (status === 429) {
      return {
        reason: 'rate-limited',
        message: 'the endpoint answered 429 Too Many Requests',
        retryable: true,
        retryAfterMs: retryAfterMs(error.headers),
      };
    }
    if (status >= 500) {
      return {
        reason: 'server-error',
        message: `the endpoint answered ${status}`,
        retryable: true,
      };
    }
    return {
      reason: 'request-rejected',
      message: `the endpoint rejected the request with ${status}: ${truncate(
        error.message,
        200,
      )}`,
      retryable: false,
    };
  }
  return {
    reason: 'network',
    message: `unexpected error: ${truncate(String(error), 200)}`,
    retryable: false,
  };
}

/** `retry-after-ms` (OpenAI) or `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Capped exponential backoff with full jitter. */
function backoffMs(attempt: number, timeoutMs: number) {
  const cap = Math.min(8_000, timeoutMs / 4);
  return Math.random() * Math.min(cap, 250 * 2 ** attempt);
}

function timeoutFailure(timeoutMs: number): AttemptFailure {
  return {
    reason: 'timeout',
    message: `no answer within ${timeoutMs} ms`,
    retryable: false,
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise(resolve => {
    if (signal?.aborted) {
      resolve(false);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function truncate(text: string, max: number) {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
