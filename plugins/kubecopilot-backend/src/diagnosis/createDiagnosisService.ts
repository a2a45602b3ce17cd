import {
  CacheService,
  DatabaseService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type { AuditStore } from '../audit/types';
import type { KubernetesBackendClient } from '../kubernetes/types';
import { loadPrompt, LlmClient, OpenAiLlmClient, readLlmConfig } from '../llm';
import { AuthorizedDiagnosisService } from './AuthorizedDiagnosisService';
import { DatabaseDiagnosisStore } from './DatabaseDiagnosisStore';
import {
  DefaultDiagnosisService,
  DiagnosisServiceOptions,
} from './DiagnosisService';
import { KubernetesContextGatherer } from './gather';
import { promptsDir } from '../llm';
import { EntityReadAccess } from '../permissions/EntityReadAccess';
import { entityRules } from '../permissions/rules';
import { rulesetOf } from '../permissions/ruleset';
import { DiagnosisService } from './types';
import { DiagnosisModules, ModuleExtensions } from '../extensions';

/** The package's own prompts folder (tests and benchmarks load from it). */
export const promptsDirectory = () => promptsDir();

/**
 * Builds the diagnosis service from config, as `plugin.ts` wires it:
 * `kubecopilot.llm.*` decides whether a model explains the findings
 * (`provider: none` means rules only); the result checks
 * `kubecopilot.diagnose` on every call, and `kubecopilot.diagnosis.read`
 * for the entity before listing its diagnoses.
 */
export async function createDiagnosisService(options: {
  config: Config;
  logger: LoggerService;
  database: DatabaseService;
  cache: CacheService;
  permissions: PermissionsService;
  catalog: CatalogService;
  kubernetes: KubernetesBackendClient;
  audit: AuditStore;
  /** Applies `kubecopilot.diagnosis.read`; by default with the built-in entity rules only. */
  access?: EntityReadAccess;
  /** Tests: a client other than OpenAiLlmClient.fromConfig(readLlmConfig(config)). */
  llmClient?: LlmClient;
  /** The per-caller daily token budget (`kubecopilot.limits`) the client is put behind. */
  llmBudget?: { wrap(client: LlmClient): LlmClient };
  /** What backend modules added through the extension points. */
  extensions?: ModuleExtensions;
  /** Metric evidence from Prometheus (#14). */
  metricEvidence?: DiagnosisServiceOptions['metricEvidence'];
}): Promise<DiagnosisService> {
  const llmConfig = readLlmConfig(options.config);
  const budgeted = (client: LlmClient) =>
    options.llmBudget ? options.llmBudget.wrap(client) : client;
  const llm =
    llmConfig.provider === 'none'
      ? undefined
      : {
          client: budgeted(
            options.llmClient ?? OpenAiLlmClient.fromConfig(llmConfig),
          ),
          prompt: await loadPrompt(promptsDir(options.config), 'diagnose'),
          maxPromptTokens: llmConfig.maxPromptTokens,
          timeoutMs: llmConfig.timeoutMs,
        };
  const service = new DefaultDiagnosisService({
    gatherer: KubernetesContextGatherer.fromConfig(options.config, {
      kubernetes: options.kubernetes,
      logger: options.logger,
    }),
    catalog: options.catalog,
    store: await DatabaseDiagnosisStore.create({ database: options.database }),
    audit: options.audit,
    cache: options.cache,
    logger: options.logger,
    llm,
    metricEvidence: options.metricEvidence,
    modules: options.extensions
      ? DiagnosisModules.fromConfig(options.config, {
          extensions: options.extensions,
          kubernetes: options.kubernetes,
        })
      : undefined,
  });
  const access =
    options.access ??
    new EntityReadAccess({
      permissions: options.permissions,
      catalog: options.catalog,
      rules: rulesetOf(entityRules),
      logger: options.logger,
    });
  return new AuthorizedDiagnosisService(service, options.permissions, access);
}
