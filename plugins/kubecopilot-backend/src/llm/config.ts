import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { LlmProvider } from './types';

/** `kubecopilot.llm.*`, with defaults applied and checked at start-up. */
export interface LlmConfig {
  provider: LlmProvider;
  model: string;
  apiKey?: string;
  baseUrl?: string;
  /** Azure OpenAI only. */
  apiVersion?: string;
  deployment?: string;
  timeoutMs: number;
  maxRetries: number;
  /** Longest `Retry-After` honoured before giving up on a 429. */
  maxRetryAfterMs: number;
  maxPromptTokens: number;
  maxCompletionTokens: number;
  /** `json_schema` (structured outputs) or `json_object` for older servers. */
  responseFormat: 'json_schema' | 'json_object';
}

const PROVIDERS: LlmProvider[] = [
  'none',
  'openai',
  'azure-openai',
  'openai-compatible',
];

export function readLlmConfig(root: Config): LlmConfig {
  const config = root.getOptionalConfig('kubecopilot.llm');
  const provider = (config?.getOptionalString('provider') ??
    'none') as LlmProvider;
  if (!PROVIDERS.includes(provider)) {
    throw new InputError(
      `kubecopilot.llm.provider must be one of ${PROVIDERS.join(
        ', ',
      )}; got '${provider}'`,
    );
  }
  const llm: LlmConfig = {
    provider,
    model: config?.getOptionalString('model') ?? 'gpt-4o-mini',
    apiKey: config?.getOptionalString('apiKey'),
    baseUrl: config?.getOptionalString('baseUrl'),
    apiVersion: config?.getOptionalString('apiVersion') ?? '2024-10-21',
    deployment: config?.getOptionalString('deployment'),
    timeoutMs: config?.getOptionalNumber('timeoutMs') ?? 30_000,
    maxRetries: config?.getOptionalNumber('maxRetries') ?? 2,
    maxRetryAfterMs: config?.getOptionalNumber('maxRetryAfterMs') ?? 10_000,
    maxPromptTokens: config?.getOptionalNumber('maxPromptTokens') ?? 12_000,
    maxCompletionTokens:
      config?.getOptionalNumber('maxCompletionTokens') ?? 2_000,
    responseFormat:
      (config?.getOptionalString('responseFormat') as
        | 'json_schema'
        | 'json_object'
        | undefined) ?? 'json_schema',
  };
  if (provider === 'none') return llm;
  if (provider !== 'openai-compatible' && !llm.apiKey) {
    throw new InputError(`kubecopilot.llm.apiKey is required for ${provider}`);
  }
  if (provider !== 'openai' && !llm.baseUrl) {
    throw new InputError(
      `kubecopilot.llm.baseUrl is required for ${provider} (for Azure: https://<resource>.openai.azure.com)`,
    );
  }
  for (const key of ['timeoutMs', 'maxPromptTokens'] as const) {
    if (!(llm[key] > 0)) {
      throw new InputError(`kubecopilot.llm.${key} must be a positive number`);
    }
  }
  if (!(llm.maxRetries >= 0) || llm.maxRetries > 10) {
    throw new InputError('kubecopilot.llm.maxRetries must be between 0 and 10');
  }
  if (!['json_schema', 'json_object'].includes(llm.responseFormat)) {
    throw new InputError(
      "kubecopilot.llm.responseFormat must be 'json_schema' or 'json_object'",
    );
  }
  return llm;
}
