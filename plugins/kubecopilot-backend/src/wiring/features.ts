import { ScmIntegrations } from '@backstage/integration';
import { AgentActionGuard } from '../actions/AgentActionGuard';
import { registerKubecopilotActions } from '../actions/registerActions';
import { createAlerts } from '../alerts/createAlerts';
import { AuthorizedAuditReader } from '../audit/AuthorizedAuditReader';
import { AuthorizedEventsService } from '../events/AuthorizedEventsService';
import { KubernetesEventsService } from '../events/KubernetesEventsService';
import { scheduleDiagnosisRetention } from '../diagnosis/retention';
import { createFindings, rulesOnlyConfig } from '../findings/createFindings';
import {
  METRIC_EVIDENCE_TIMEOUT_MS,
  MetricEvidence,
} from '../metrics/MetricEvidence';
import { createPlanServices, schedulePlanMaintenance } from '../planServices';
import { BackstagePlanNotifier } from '../plans/PlanNotifier';
import { DatabasePostmortemStore } from '../postmortems/DatabasePostmortemStore';
import { PostmortemService } from '../postmortems/PostmortemService';
import { PostmortemSources } from '../postmortems/PostmortemSources';
import { createCanaryQueries } from '../prometheus';
import { SLO_RISK_TIMEOUT_MS, SloService } from '../slo/SloService';
import { Core } from './core';

/**
 * Plans (with canary and blue-green), SLOs, diagnoses, findings, alerts and
 * postmortems, on the core; the plan maintenance task and the findings scan
 * are scheduled here.
 */
export async function createFeatures(core: Core) {
  const { deps, prometheus, auditStore, entityAccess } = core;
  const { config, catalog, permissions, logger, auth } = deps;

  const { slos, planServices } = await createPlans(core);

  // GET /findings, and the findings scan when it is enabled.
  const findings = await createFindings({
    config,
    database: deps.database,
    permissions,
    access: entityAccess,
    catalog,
    auth,
    scheduler: deps.scheduler,
    logger,
    notifications: deps.notifications,
    drafter: planServices.drafter,
    createDiagnoses: scanConfig =>
      core.diagnosisService({ config: scanConfig }),
    lifecycle: deps.lifecycle,
  });
  // Stored diagnoses older than kubecopilot.diagnoses.retention.maxAgeDays,
  // beyond each entity's newest few, pruned on a schedule (audit kept).
  await scheduleDiagnosisRetention({
    config,
    database: deps.database,
    scheduler: deps.scheduler,
    logger,
  });

  // POST /alerts (Alertmanager's webhook) and GET /alerts: a firing alert's
  // entity is diagnosed by the rules, as the plugin itself.
  const alerts = await createAlerts({
    config,
    database: deps.database,
    permissions,
    access: entityAccess,
    catalog,
    kubernetes: core.kubernetes,
    auth,
    logger,
    notifications: deps.notifications,
    diagnoses: await core.diagnosisService({
      config: rulesOnlyConfig(config),
      llmBudget: undefined,
    }),
  });

  const diagnoses = await core.diagnosisService({
    metricEvidence: new MetricEvidence({
      client: prometheus,
      timeoutMs: METRIC_EVIDENCE_TIMEOUT_MS,
    }),
  });

  const audit = new AuthorizedAuditReader({
    store: auditStore,
    plans: core.plans,
    access: entityAccess,
  });
  // Postmortem drafts from what the caller may read of the entity.
  const postmortems = new PostmortemService({
    store: await DatabasePostmortemStore.create({ database: deps.database }),
    sources: new PostmortemSources({
      kubernetes: core.kubernetes,
      findings: findings.reader,
      alerts: alerts.reader,
      diagnoses,
      audit,
      plans: core.plans,
    }),
    permissions,
    access: entityAccess,
  });

  // The entity's events timeline (GET /events and the get-events action).
  const events = new AuthorizedEventsService(
    new KubernetesEventsService({
      catalog,
      kubernetes: core.kubernetes,
      plans: core.plans,
    }),
    permissions,
  );

  // The same services as actions of the actions registry (served over MCP
  // by the mcp-actions plugin): diagnose and draft, never decide.
  registerKubecopilotActions({
    registry: deps.actionsRegistry,
    guard: new AgentActionGuard({
      auditor: deps.auditor,
      cache: core.cache,
      config,
      logger,
    }),
    diagnoses,
    workloads: core.workloads,
    events,
    findings: findings.reader,
    plans: core.plans,
    drafter: planServices.drafter,
    appBaseUrl: config.getOptionalString('app.baseUrl') ?? '',
  });

  return {
    slos,
    planServices,
    findings,
    alerts,
    diagnoses,
    audit,
    postmortems,
    events,
  };
}

/** The plugin's features. */
export type Features = Awaited<ReturnType<typeof createFeatures>>;

/**
 * SLO budgets and the plan services (drafting, decisions, execution, canary
 * and blue-green), with the plan maintenance task scheduled.
 */
async function createPlans(core: Core) {
  const { deps, prometheus, prometheusConfig } = core;
  const { config, catalog, permissions, logger, auth } = deps;
  // SLOs as code (OpenSLO files beside the entity): budgets for risk.
  const slos = new SloService({
    catalog,
    permissions,
    reader: deps.urlReader,
    integrations: ScmIntegrations.fromConfig(config),
    metrics: prometheus,
    timeoutMs: prometheusConfig.metrics.timeoutMs,
    logger,
  });
  const planServices = await createPlanServices({
    config,
    store: core.planStore,
    audit: core.auditStore,
    kubernetes: core.kubernetes,
    catalog,
    permissions,
    rules: core.planRules,
    notifier: new BackstagePlanNotifier({
      notifications: deps.notifications,
      signals: deps.signals,
      logger,
    }),
    auth,
    auditor: deps.auditor,
    logger,
    // Canary and blue-green gates against the cluster's Prometheus.
    metrics: prometheus,
    errorBudget: slos.budgetSource(SLO_RISK_TIMEOUT_MS),
    queries: createCanaryQueries(prometheusConfig.queries),
    llmBudget: core.limits.llmBudget,
    riskRules: core.extensions.riskRules,
  });
  deps.lifecycle.addShutdownHook(() => planServices.steps.shutdown());
  await schedulePlanMaintenance(planServices, {
    config,
    scheduler: deps.scheduler,
    auth,
    logger,
  });

  return { slos, planServices };
}
