import {
  AuditorService,
  AuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { PermissionRuleset } from '@backstage/plugin-permission-node';
import { AuditStore } from './audit/types';
import { CanaryPlanService } from './canary/CanaryPlanService';
import { BlueGreenPlanService } from './canary/BlueGreenPlanService';
import { parseBlueGreenIntent } from './intents/parseBlueGreenIntent';
import { readCanaryAnalysisConfig } from './canary/config';
import { createCanaryRationaleWriter } from './canary/CanaryRationaleWriter';
import { parseCanaryIntent } from './canary/parseCanaryIntent';
import { PlanChanges } from './execution/PlanChanges';
import { PlanExecutor } from './execution/PlanExecutor';
import { PlanReconciler } from './execution/PlanReconciler';
import { PlanReverter } from './execution/PlanReverter';
import { StepDecisions } from './execution/StepDecisions';
import { StepRunner } from './execution/StepRunner';
import { createIntentPlanner } from './intents/createIntentPlanner';
import { KubernetesBackendClient } from './kubernetes/types';
import { LlmTokenBudget } from './limits';
import { readPlanConfig } from './plans/config';
import { PlanAccess } from './plans/PlanAccess';
import { PlanDecisions } from './plans/PlanDecisions';
import { PlanDrafter } from './plans/PlanDrafter';
import { PlanNotifier } from './plans/PlanNotifier';
import { PlanFilter, PlanStore, StoredPlan } from './plans/types';
import { MetricsClient } from './prometheus/PrometheusClient';
import { CanaryQueries } from './prometheus/queries';
import { defaultRiskRules, RuleBasedRiskEngine } from './risk';
import type { ErrorBudgetSource } from './risk/types';
import { KubecopilotRiskRule, toRiskRule } from './extensions';

/** Everything that drafts, decides, executes, reverts and recovers plans. */
export type PlanServices = Awaited<ReturnType<typeof createPlanServices>>;

/** The risk, approval and action settings (`readPlanConfig`). */
type PlanConfig = ReturnType<typeof readPlanConfig>;

/** What the plan services are built from. */
interface PlanServicesDeps {
  config: RootConfigService;
  store: PlanStore;
  audit: AuditStore;
  kubernetes: KubernetesBackendClient;
  catalog: CatalogService;
  permissions: PermissionsService;
  rules: PermissionRuleset<StoredPlan, PlanFilter>;
  notifier: PlanNotifier;
  auth: AuthService;
  auditor?: AuditorService;
  logger: LoggerService;
  metrics: MetricsClient;
  queries: CanaryQueries;
  llmBudget?: LlmTokenBudget;
  /** Backend modules' risk rules: judged after the built-in ones, raise only. */
  riskRules?: readonly KubecopilotRiskRule[];
  /** The entity's SLO error budget, for the risk of every drafted plan. */
  errorBudget?: ErrorBudgetSource;
}

/**
 * Builds the plan services from the plugin's dependencies: one access
 * module, one drafter (canary intents registered on it), one set of shared
 * execution steps that execution, revert, step decisions and crash recovery
 * use.
 */
export async function createPlanServices(deps: PlanServicesDeps) {
  const { store, audit, notifier } = deps;
  const planConfig = readPlanConfig(deps.config);
  const { risk, access, drafter } = await createDrafting(deps, planConfig);
  const decisions = new PlanDecisions({ store, audit, access, notifier });
  const { canaries, blueGreens } = await createRolloutStrategies(
    deps,
    planConfig,
    { drafter, risk },
  );
  const { steps, changes } = createExecution(deps, { access, drafter });
  return {
    planConfig,
    drafter,
    decisions,
    canaries,
    blueGreens,
    steps,
    executor: new PlanExecutor(changes),
    reverter: new PlanReverter(changes),
    stepDecisions: new StepDecisions(changes),
    reconciler: new PlanReconciler(changes),
  };
}

/** The risk engine (built-in rules, then the modules'), plan access and the drafter. */
async function createDrafting(deps: PlanServicesDeps, planConfig: PlanConfig) {
  const { config, store, audit, kubernetes, notifier, logger } = deps;
  const risk = new RuleBasedRiskEngine([
    ...defaultRiskRules,
    ...(deps.riskRules ?? []).map(toRiskRule),
  ]);
  const access = new PlanAccess({
    store,
    permissions: deps.permissions,
    rules: deps.rules,
    auditor: deps.auditor,
    logger,
  });
  const drafter = new PlanDrafter({
    store,
    audit,
    kubernetes,
    catalog: deps.catalog,
    access,
    whitelist: planConfig.whitelist,
    risk,
    notifier,
    intentPlanner: await createIntentPlanner(config, planConfig.whitelist, {
      llmBudget: deps.llmBudget,
    }),
    productionNamespaces: planConfig.productionNamespaces,
    secondApproverFor: planConfig.secondApproverFor,
    maxReplicas: planConfig.maxReplicas,
    errorBudget: deps.errorBudget,
  });
  return { risk, access, drafter };
}

/**
 * The canary and blue-green plan services, with their intents ("canary
 * checkout to v2 …", "blue-green checkout to …") registered on the drafter.
 */
async function createRolloutStrategies(
  deps: PlanServicesDeps,
  planConfig: PlanConfig,
  { drafter, risk }: { drafter: PlanDrafter; risk: RuleBasedRiskEngine },
) {
  const { config } = deps;
  const canaries = new CanaryPlanService({
    drafter,
    risk,
    metrics: deps.metrics,
    queries: deps.queries,
    analysis: readCanaryAnalysisConfig(config),
    rationale: await createCanaryRationaleWriter(config, {
      llmBudget: deps.llmBudget,
    }),
    productionNamespaces: planConfig.productionNamespaces,
    secondApproverFor: planConfig.secondApproverFor,
  });
  const blueGreens = new BlueGreenPlanService({
    drafter,
    risk,
    kubernetes: deps.kubernetes,
    metrics: deps.metrics,
    queries: deps.queries,
    analysis: readCanaryAnalysisConfig(config),
    productionNamespaces: planConfig.productionNamespaces,
    secondApproverFor: planConfig.secondApproverFor,
  });
  // "blue-green checkout to image 2.4.0, switch after error rate < 1% …".
  drafter.handleIntentsWith(async (request, { credentials }) => {
    const blueGreen = parseBlueGreenIntent(request.intent);
    return blueGreen
      ? blueGreens.create(
          {
            confirmSwitch: false,
            bakeSeconds: 300,
            ...blueGreen,
            entityRef: request.entityRef,
          },
          { credentials, intent: request.intent },
        )
      : undefined;
  });
  // "canary checkout to v2 at 10%, then 50% …" in POST /plans is a canary.
  drafter.handleIntentsWith(async (request, { credentials }) => {
    const canary = parseCanaryIntent(request.intent);
    return canary
      ? canaries.create(
          { ...canary, entityRef: request.entityRef },
          { credentials, intent: request.intent },
        )
      : undefined;
  });
  return { canaries, blueGreens };
}

/** The shared execution steps and the change machinery built on them. */
function createExecution(
  deps: PlanServicesDeps,
  { access, drafter }: { access: PlanAccess; drafter: PlanDrafter },
) {
  const { config, store, audit, kubernetes, notifier, logger } = deps;
  const steps = new StepRunner({
    store,
    audit,
    kubernetes,
    metrics: deps.metrics,
    notifier,
    auth: deps.auth,
    logger,
  });
  const changes = new PlanChanges({
    store,
    audit,
    kubernetes,
    access,
    drafter,
    notifier,
    logger,
    steps,
    executingGraceMs:
      (config.getOptionalNumber(
        'kubecopilot.maintenance.executingGraceSeconds',
      ) ?? 60) * 1000,
  });
  return { steps, changes };
}

/**
 * Plan maintenance, once across replicas: settle plans and reverts a stopped
 * backend left in flight (from the live objects, never by writing again) and
 * expire plans that waited too long for a decision.
 */
export async function schedulePlanMaintenance(
  services: Pick<PlanServices, 'reconciler' | 'decisions' | 'planConfig'>,
  deps: {
    config: RootConfigService;
    scheduler: SchedulerService;
    auth: AuthService;
    logger: LoggerService;
  },
) {
  const { config, logger } = deps;
  await deps.scheduler.scheduleTask({
    id: 'kubecopilot-plan-maintenance',
    frequency: { minutes: 5 },
    timeout: { minutes: 2 },
    initialDelay: {
      seconds:
        config.getOptionalNumber(
          'kubecopilot.maintenance.initialDelaySeconds',
        ) ?? 5,
    },
    fn: async () => {
      const settled = await services.reconciler.reconcile(
        await deps.auth.getOwnServiceCredentials(),
      );
      if (settled > 0) {
        logger.info(`Reconciled ${settled} plan(s) left in flight`);
      }
      const expired = await services.decisions.expireStalePlans(
        services.planConfig.expireAfterMs,
      );
      if (expired > 0) {
        logger.info(`Expired ${expired} plan(s) that waited too long`);
      }
    },
  });
}
