import {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Diagnosis,
  Finding,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { Analyzer, defaultAnalyzers, runAnalyzers } from '../analyzers';
import { SEVERITY_RANK } from '../analyzers/common';
import type { AuditStore } from '../audit/types';
import type { LlmClient, PromptTemplate } from '../llm';
import type { ContextGatherer, GatheredContext } from './gather/types';
import { InFlight } from './InFlight';
import { SharedInFlight } from './SharedInFlight';
import { LlmDiagnoser } from './llm/LlmDiagnoser';
import {
  fitClusters,
  knownObjects,
  promptContexts,
  promptOverheadTokens,
} from './llmInput';
import { ruleBasedDiagnosis } from './rules/ruleBasedDiagnosis';
import {
  DiagnoseOptions,
  DiagnosisService,
  DiagnosisStore,
  DiagnosisTarget,
  ListDiagnosesOptions,
} from './types';
import { providedLines } from '../extensions/providedLines';
import { versionKey } from './versionKey';
import { logLine, Outcome, toDiagnosis } from './outcome';
import { actorOf, normalizeEntityRef } from '../identity/actor';
import type { DiagnosisModuleRunner } from '../extensions/DiagnosisModules';

/** The model, when `kubecopilot.llm.provider` is not `none`. */
export interface DiagnosisLlmOptions {
  client: LlmClient;
  /** `prompts/diagnose/vN.md`, loaded with `loadPrompt(dir, 'diagnose')`. */
  prompt: PromptTemplate;
  /** `kubecopilot.llm.maxPromptTokens`: a hard cap on what is sent. */
  maxPromptTokens: number;
  /**
   * `kubecopilot.llm.timeoutMs`: the longest a request waits for the answer
   * another replica is getting for the same objects. Default 30 s.
   */
  timeoutMs?: number;
}

export interface DiagnosisServiceOptions {
  gatherer: ContextGatherer;
  catalog: CatalogService;
  store: DiagnosisStore;
  audit: AuditStore;
  /**
   * `coreServices.cache`. Model answers are cached there by the set of
   * resourceVersions they were made from. The default store is in memory,
   * per backend instance; with `backend.cache.store: redis` (or valkey,
   * memcache) replicas share answers, which is what makes the cache pay off
   * behind a load balancer, and identical concurrent model calls coalesce
   * across replicas through a short lease (see {@link SharedInFlight}).
   */
  cache: CacheService;
  logger: LoggerService;
  /** Absent: rules only. */
  llm?: DiagnosisLlmOptions;
  analyzers?: readonly Analyzer[];
  /**
   * Backend modules' context providers and analyzers (extension points),
   * run after the built-in analyzers; their failures are notes in `errors`.
   */
  modules?: DiagnosisModuleRunner;
  /** Metric facts from Prometheus on the findings, within its own deadline. */
  metricEvidence?: { enrich(findings: Finding[]): Promise<string[]> };
  /** How long a model answer is reused for unchanged objects. Default 6 h. */
  cacheTtlMs?: number;
  now?: () => Date;
}

const CACHE_PREFIX = 'diagnosis:v1:';
const DEFAULT_CACHE_TTL_MS = 6 * 60 * 60 * 1000;
/** `kubecopilot.llm.timeoutMs`'s default. */
const DEFAULT_LLM_TIMEOUT_MS = 30_000;

function targetKey(target: DiagnosisTarget | undefined) {
  return target
    ? {
        cluster: target.cluster ?? null,
        kind: target.kind.toLowerCase(),
        namespace: target.namespace ?? null,
        name: target.name,
      }
    : null;
}

const byRef = (r: {
  kind: string;
  namespace?: string;
  name: string;
  cluster?: string;
}) =>
  `${r.cluster ?? ''}|${r.kind.toLowerCase()}|${r.namespace ?? ''}|${r.name}`;

/**
 * Diagnoses an entity's workloads: gather (redacted, two waves) → analyzers
 * per cluster → the model on top when one is configured, with the rules'
 * answer whenever the model's cannot be used → stored with its audit entry.
 *
 * Identical concurrent requests of one caller share one computation; callers
 * are never mixed, because reads are made with each caller's permissions.
 * Model answers are shared through the cache and coalesced, in the process
 * and across replicas sharing a cache store, by what they were made from
 * (see {@link versionKey} and {@link SharedInFlight}).
 */
export class DefaultDiagnosisService implements DiagnosisService {
  private readonly diagnoses = new InFlight<Diagnosis>();
  private readonly modelCalls: SharedInFlight<Outcome>;
  private readonly diagnoser?: LlmDiagnoser;
  private readonly analyzers: readonly Analyzer[];
  private readonly now: () => Date;

  constructor(private readonly options: DiagnosisServiceOptions) {
    this.diagnoser = options.llm
      ? new LlmDiagnoser(options.llm.client, options.llm.prompt)
      : undefined;
    this.analyzers = options.analyzers ?? defaultAnalyzers;
    this.now = options.now ?? (() => new Date());
    this.modelCalls = new SharedInFlight<Outcome>({
      cache: options.cache,
      logger: options.logger,
      answerPrefix: CACHE_PREFIX,
      answerTtlMs: options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
      deadlineMs: options.llm?.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS,
    });
  }

  async diagnose(rawRef: string, options: DiagnoseOptions): Promise<Diagnosis> {
    const entityRef = normalizeEntityRef(rawRef);
    const actor = actorOf(options.credentials, 'diagnose');
    const key = JSON.stringify([
      actor.toLocaleLowerCase('en-US'),
      entityRef.toLocaleLowerCase('en-US'),
      targetKey(options.target),
      // A scan's conditional recording never shares a person's diagnosis.
      (options.record ?? 'always') === 'always' ? 'always' : 'conditional',
    ]);
    return this.diagnoses.run(key, () =>
      this.compute(entityRef, actor, options),
    );
  }

  async listDiagnoses(
    rawRef: string,
    options: ListDiagnosesOptions,
  ): Promise<Diagnosis[]> {
    const entityRef = await this.visibleEntityRef(
      normalizeEntityRef(rawRef),
      options.credentials,
    );
    return this.options.store.list(entityRef, options.limit ?? 10);
  }

  /** The catalog's ref of the entity; NotFound when the caller cannot see it. */
  private async visibleEntityRef(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<string> {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`Entity '${entityRef}' not found`);
    return stringifyEntityRef(entity);
  }

  /** One diagnosis: gather → analyze → rules, model on top → store, audit, log. */
  private async compute(
    requestedRef: string,
    actor: string,
    { target, credentials, record = 'always' }: DiagnoseOptions,
  ): Promise<Diagnosis> {
    const started = performance.now();
    const entityRef = await this.visibleEntityRef(requestedRef, credentials);
    const gathered = await this.options.gatherer.gather(entityRef, {
      target,
      credentials,
    });
    const {
      findings: ruleFindings,
      errors,
      provided,
    } = await this.analyze(entityRef, gathered, credentials);
    const rules = ruleBasedDiagnosis({
      findings: ruleFindings,
      contexts: gathered.contexts,
      errors,
    });
    // The rules' findings come back linked cause → symptoms, causes first;
    // the model sees and keeps those, and the headline stays the rules'.
    const rulesOutcome: Outcome = {
      source: 'rules',
      summary: rules.summary,
      findings: rules.findings,
      recommendations: rules.recommendations,
    };
    const outcome = await this.chooseOutcome({
      entityRef,
      target,
      gathered,
      provided,
      errors,
      ruleFindingCount: ruleFindings.length,
      findings: rules.findings,
      rules: rulesOutcome,
    });
    const diagnosis = toDiagnosis({
      entityRef,
      createdAt: this.now().toISOString(),
      outcome,
      headline: rules.headline,
      errors,
    });
    if (record === 'always' || (await record.when(diagnosis))) {
      await this.record(diagnosis, outcome, target, actor);
    }
    this.options.logger.info(
      logLine({ diagnosis, entityRef, actor, gathered, outcome, started }),
    );
    return diagnosis;
  }

  /**
   * Runs the analyzers and the modules' analyzers on every cluster's context
   * and adds metric evidence; findings come back worst first, with the notes
   * of whatever failed.
   */
  private async analyze(
    entityRef: string,
    gathered: GatheredContext,
    credentials: BackstageCredentials,
  ): Promise<{
    findings: Finding[];
    errors: string[];
    /** Modules' context, as prompt lines, by cluster. */
    provided: Map<string, string[]>;
  }> {
    const errors = [...gathered.errors];
    const findings: Finding[] = [];
    const provided = new Map<string, string[]>();
    for (const ctx of gathered.contexts) {
      const result = runAnalyzers(ctx, this.analyzers);
      findings.push(...result.findings);
      errors.push(
        ...result.errors.map(e => `cluster '${ctx.cluster}': analyzer ${e}`),
      );
      if (this.options.modules) {
        const extra = await this.options.modules.run({
          entityRef,
          context: ctx,
          credentials,
        });
        findings.push(...extra.findings);
        errors.push(...extra.errors);
        provided.set(ctx.cluster, providedLines(extra.provided ?? []));
      }
    }
    if (this.options.metricEvidence) {
      errors.push(...(await this.options.metricEvidence.enrich(findings)));
    }
    // Worst first across clusters; ties keep cluster and analyzer order.
    findings.sort(
      (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity],
    );
    return { findings, errors, provided };
  }

  /**
   * The rules' answer, or the model's on top of it when a model is configured
   * and there is something to explain; says why the model was not asked.
   */
  private async chooseOutcome(input: {
    entityRef: string;
    target?: DiagnosisTarget;
    gathered: GatheredContext;
    provided: Map<string, string[]>;
    errors: string[];
    ruleFindingCount: number;
    findings: Finding[];
    rules: Outcome;
  }): Promise<Outcome> {
    const { ruleFindingCount, ...explainInput } = input;
    if (!this.diagnoser || !this.options.llm) return input.rules;
    if (input.gathered.contexts.length === 0) {
      return {
        ...input.rules,
        fallbackReason: 'nothing could be read, so the model was not asked',
      };
    }
    if (ruleFindingCount === 0) {
      return {
        ...input.rules,
        fallbackReason:
          'the analyzers found no problems, so the model was not asked',
      };
    }
    return this.explain(explainInput);
  }

  /** Saves the diagnosis and its audit entry in one transaction. */
  private async record(
    diagnosis: Diagnosis,
    outcome: Outcome,
    target: DiagnosisTarget | undefined,
    actor: string,
  ): Promise<void> {
    const { entityRef } = diagnosis;
    await this.options.store.transaction(async tx => {
      await this.options.store.save(diagnosis, { createdBy: actor, tx });
      await this.options.audit.append(
        {
          entityRef,
          actor,
          action: 'diagnosis.created',
          // Codes and counts only: findings' messages and evidence stay in
          // the diagnosis itself.
          payload: {
            diagnosisId: diagnosis.id,
            ...(target ? { target: { ...target } } : {}),
            source: diagnosis.source,
            model: diagnosis.model ?? this.options.llm?.client.model ?? null,
            promptVersion:
              diagnosis.promptVersion ??
              this.options.llm?.prompt.version ??
              null,
            findingCodes: [...new Set(diagnosis.findings.map(f => f.code))],
            findings: diagnosis.findings.length,
            errors: diagnosis.errors.length,
            ...(diagnosis.fallbackReason
              ? { fallbackReason: diagnosis.fallbackReason }
              : {}),
            ...(diagnosis.usage ? { usage: diagnosis.usage } : {}),
            cached: outcome.cached ?? false,
          },
        },
        tx,
      );
    });
  }

  /**
   * The model's answer for these findings and this context, from the cache
   * when the same objects at the same versions were explained before, else
   * from one model call shared by everyone asking meanwhile.
   */
  private async explain(input: {
    entityRef: string;
    target?: DiagnosisTarget;
    gathered: GatheredContext;
    provided: Map<string, string[]>;
    errors: string[];
    findings: Finding[];
    rules: Outcome;
  }): Promise<Outcome> {
    const llm = this.options.llm!;
    const key = versionKey({
      entityRef: input.entityRef,
      target: input.target,
      contexts: input.gathered.contexts,
      errors: input.errors,
      // Modules' context is not versioned like objects: it is part of the key.
      salt: `${llm.client.model}|${llm.prompt.version}|${
        llm.maxPromptTokens
      }|${JSON.stringify([...input.provided])}`,
    });
    // Only the model's answers are shared: a fallback to the rules is this
    // request's, and makes a waiting replica try the model itself.
    const { value, cached } = await this.modelCalls.run(key, async () => {
      const outcome = await this.askModel(input);
      return { value: outcome, share: outcome.source === 'llm' };
    });
    return cached ? { ...value, cached: true } : value;
  }

  private async askModel(input: {
    entityRef: string;
    gathered: GatheredContext;
    provided: Map<string, string[]>;
    findings: Finding[];
    rules: Outcome;
  }): Promise<Outcome> {
    const llm = this.options.llm!;
    const diagnoser = this.diagnoser!;
    const { contexts } = input.gathered;
    const known = knownObjects(contexts);
    const budget =
      llm.maxPromptTokens -
      promptOverheadTokens(llm.prompt, input.entityRef, known, input.findings);
    const fitted = fitClusters(
      promptContexts(contexts, input.findings, input.provided),
      budget,
    );
    const sizes = {
      rawContextChars: fitted.rawChars,
      sentContextChars: fitted.sentChars,
    };
    const fallback = (
      reason: string,
      usage?: { promptTokens: number; completionTokens: number },
    ): Outcome => ({
      ...input.rules,
      fallbackReason: reason,
      ...(usage ? { usage: { ...usage, ...sizes } } : {}),
    });

    if (!fitted.fits) {
      return fallback(
        `the context does not fit in kubecopilot.llm.maxPromptTokens (${llm.maxPromptTokens}) even after compression, so the model was not asked`,
      );
    }
    let result: Awaited<ReturnType<LlmDiagnoser['diagnose']>>;
    try {
      result = await diagnoser.diagnose({
        entityRef: input.entityRef,
        findings: input.findings,
        context: fitted.text,
        known,
      });
    } catch (error) {
      return fallback(
        `the model call failed unexpectedly (${
          error instanceof Error ? error.message : String(error)
        })`,
      );
    }
    if (!result.ok) return fallback(result.reason, result.usage);

    // The model's recommendations first; the rules' one-click actions it
    // did not repeat stay available.
    const proposed = new Set(
      result.recommendations
        .filter(r => r.action && r.target)
        .map(r => `${r.action}|${byRef(r.target!)}`),
    );
    const recommendations = [
      ...result.recommendations,
      ...input.rules.recommendations.filter(
        r =>
          r.action &&
          r.target &&
          !proposed.has(`${r.action}|${byRef(r.target)}`),
      ),
    ];
    return {
      source: 'llm',
      summary: result.summary,
      rootCause: result.rootCause,
      findings: result.findings,
      recommendations,
      model: result.model,
      promptVersion: result.promptVersion,
      usage: { ...result.usage, ...sizes },
    };
  }
}
