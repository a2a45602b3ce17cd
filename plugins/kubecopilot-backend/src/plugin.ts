import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  kubecopilotDiagnosePermission,
  kubecopilotEntityPermissions,
  kubecopilotPlanCreatePermission,
  kubecopilotPlanPermissions,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { HttpKubernetesBackendClient } from './kubernetes/HttpKubernetesBackendClient';
import { entityResourceRef, planResourceRef } from './permissions/resource';
import { entityRules, planRules } from './permissions/rules';
import { EntityReadAccess } from './permissions/EntityReadAccess';
import { loadEntityResources } from './permissions/entityResources';
import { AuthorizedPlanReader } from './plans/AuthorizedPlanReader';
import { DatabasePlanStore } from './plans/DatabasePlanStore';
import { createRouter } from './service/router';
import { createPlanRouter } from './service/planRouter';
import { createQueryRouter } from './service/queryRouter';
import { createDiagnosisRouter } from './service/diagnosisRouter';
import { createAuditRouter } from './service/auditRouter';
import { createMetricsRouter } from './service/metricsRouter';
import { PrometheusMetricsService } from './metrics/PrometheusMetricsService';
import {
  METRIC_EVIDENCE_TIMEOUT_MS,
  MetricEvidence,
} from './metrics/MetricEvidence';
import { SLO_RISK_TIMEOUT_MS, SloService } from './slo/SloService';
import { ScmIntegrations } from '@backstage/integration';
import { createYamlRouter } from './service/yamlRouter';
import { createManifestService } from './yaml/ManifestService';
import { createFindingsRouter } from './service/findingsRouter';
import { createFindings, rulesOnlyConfig } from './findings/createFindings';
import { createAlerts } from './alerts/createAlerts';
import { PostmortemService } from './postmortems/PostmortemService';
import { PostmortemSources } from './postmortems/PostmortemSources';
import { DatabasePostmortemStore } from './postmortems/DatabasePostmortemStore';
import { createPostmortemsRouter } from './service/postmortemsRouter';
import { createAlertsRouter } from './service/alertsRouter';
import { createDiagnosisService } from './diagnosis/createDiagnosisService';
import { QueryService } from './query/QueryService';
import { createAuditStore } from './audit/createAuditStore';
import { AuthorizedAuditReader } from './audit/AuthorizedAuditReader';
import { BackstagePlanNotifier } from './plans/PlanNotifier';
import { AuthorizedWorkloadsService } from './workloads/AuthorizedWorkloadsService';
import { KubernetesWorkloadsService } from './workloads/KubernetesWorkloadsService';
import { createLimits } from './limits';
import { boundedCache } from './cache/boundedCache';
import { createPlanServices, schedulePlanMaintenance } from './planServices';
import { AgentActionGuard } from './actions/AgentActionGuard';
import { registerKubecopilotActions } from './actions/registerActions';
import {
  createCanaryQueries,
  PrometheusClient,
  readPrometheusConfig,
} from './prometheus';
import {
  kubecopilotAnalyzersExtensionPoint,
  kubecopilotContextProvidersExtensionPoint,
  kubecopilotRiskRulesExtensionPoint,
  ModuleExtensions,
} from './extensions';

/**
 * The KubeCopilot backend plugin.
 *
 * @public
 */
export const kubecopilotPlugin = createBackendPlugin({
  pluginId: 'kubecopilot',
  register(env) {
    // Backend modules add analyzers, risk rules and context providers here;
    // none of them can add a write action.
    const extensions = new ModuleExtensions();
    env.registerExtensionPoint(
      kubecopilotAnalyzersExtensionPoint,
      extensions.analyzerPoint,
    );
    env.registerExtensionPoint(
      kubecopilotRiskRulesExtensionPoint,
      extensions.riskRulePoint,
    );
    env.registerExtensionPoint(
      kubecopilotContextProvidersExtensionPoint,
      extensions.contextProviderPoint,
    );
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        urlReader: coreServices.urlReader,
        database: coreServices.database,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        logger: coreServices.logger,
        cache: coreServices.cache,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        notifications: notificationService,
        signals: signalsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        config,
        urlReader,
        database,
        discovery,
        auth,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        catalog,
        logger,
        cache: sharedCache,
        auditor,
        scheduler,
        lifecycle,
        notifications,
        signals,
        actionsRegistry,
      }) {
        extensions.close();
        // A shared cache store that goes away must not hang requests.
        const cache = boundedCache(
          sharedCache,
          config.getOptionalNumber('kubecopilot.cache.timeoutMs'),
        );
        const limits = await createLimits({
          config,
          cache,
          httpAuth,
          database,
          logger,
          scheduler,
        });
        const planStore = await DatabasePlanStore.create({ database });
        const auditStore = await createAuditStore({
          config,
          database,
          logger,
          auditor,
          scheduler,
          skipMigrations: true,
        });

        permissionsRegistry.addPermissions([
          kubecopilotDiagnosePermission,
          kubecopilotPlanCreatePermission,
        ]);
        permissionsRegistry.addResourceType({
          resourceRef: planResourceRef,
          permissions: kubecopilotPlanPermissions,
          rules: Object.values(planRules),
          getResources: ids => planStore.getPlans(ids),
        });
        permissionsRegistry.addResourceType({
          resourceRef: entityResourceRef,
          permissions: kubecopilotEntityPermissions,
          rules: Object.values(entityRules),
          getResources: async refs =>
            loadEntityResources(
              catalog,
              refs,
              await auth.getOwnServiceCredentials(),
            ),
        });

        const kubernetes = HttpKubernetesBackendClient.fromConfig(config, {
          discovery,
          auth,
        });
        const workloads = new AuthorizedWorkloadsService(
          new KubernetesWorkloadsService({ catalog, kubernetes }),
          permissions,
        );
        const plans = new AuthorizedPlanReader({
          store: planStore,
          permissions,
          rules: permissionsRegistry.getPermissionRuleset(planResourceRef),
        });
        const entityAccess = new EntityReadAccess({
          permissions,
          catalog,
          rules: permissionsRegistry.getPermissionRuleset(entityResourceRef),
          logger,
        });

        const notifier = new BackstagePlanNotifier({
          notifications,
          signals,
          logger,
        });
        // Canary plans: metric gates against the cluster's Prometheus.
        const prometheusConfig = readPrometheusConfig(config);
        const prometheus = new PrometheusClient(prometheusConfig);
        // SLOs as code (OpenSLO files beside the entity): budgets for risk.
        const slos = new SloService({
          catalog,
          permissions,
          reader: urlReader,
          integrations: ScmIntegrations.fromConfig(config),
          metrics: prometheus,
          timeoutMs: prometheusConfig.metrics.timeoutMs,
          logger,
        });
        const planServices = await createPlanServices({
          config,
          store: planStore,
          audit: auditStore,
          kubernetes,
          catalog,
          permissions,
          rules: permissionsRegistry.getPermissionRuleset(planResourceRef),
          notifier,
          auth,
          auditor,
          logger,
          metrics: prometheus,
          errorBudget: slos.budgetSource(SLO_RISK_TIMEOUT_MS),
          queries: createCanaryQueries(prometheusConfig.queries),
          llmBudget: limits.llmBudget,
          riskRules: extensions.riskRules,
        });
        lifecycle.addShutdownHook(() => planServices.steps.shutdown());
        await schedulePlanMaintenance(planServices, {
          config,
          scheduler,
          auth,
          logger,
        });

        // GET /findings, and the findings scan when it is enabled.
        const findings = await createFindings({
          config,
          database,
          permissions,
          access: entityAccess,
          catalog,
          auth,
          scheduler,
          logger,
          notifications,
          drafter: planServices.drafter,
          createDiagnoses: scanConfig =>
            createDiagnosisService({
              config: scanConfig,
              logger,
              database,
              cache,
              permissions,
              catalog,
              kubernetes,
              audit: auditStore,
              access: entityAccess,
              llmBudget: limits.llmBudget,
              extensions,
            }),
        });

        // POST /alerts (Alertmanager's webhook) and GET /alerts: a firing
        // alert's entity is diagnosed by the rules, as the plugin itself.
        const alerts = await createAlerts({
          config,
          database,
          permissions,
          access: entityAccess,
          catalog,
          kubernetes,
          auth,
          logger,
          notifications,
          diagnoses: await createDiagnosisService({
            config: rulesOnlyConfig(config),
            logger,
            database,
            cache,
            permissions,
            catalog,
            kubernetes,
            audit: auditStore,
            access: entityAccess,
            extensions,
          }),
        });

        const diagnoses = await createDiagnosisService({
          config,
          logger,
          database,
          cache,
          permissions,
          catalog,
          kubernetes,
          audit: auditStore,
          access: entityAccess,
          llmBudget: limits.llmBudget,
          extensions,
          metricEvidence: new MetricEvidence({
            client: prometheus,
            timeoutMs: METRIC_EVIDENCE_TIMEOUT_MS,
          }),
        });

        // Postmortem drafts from what the caller may read of the entity.
        const postmortems = new PostmortemService({
          store: await DatabasePostmortemStore.create({ database }),
          sources: new PostmortemSources({
            kubernetes,
            findings: findings.reader,
            alerts: alerts.reader,
            diagnoses,
            audit: new AuthorizedAuditReader({
              store: auditStore,
              plans,
              access: entityAccess,
            }),
            plans,
          }),
          permissions,
          access: entityAccess,
        });

        // The same services as actions of the actions registry (served over
        // MCP by the mcp-actions plugin): diagnose and draft, never decide.
        registerKubecopilotActions({
          registry: actionsRegistry,
          guard: new AgentActionGuard({ auditor, cache, config, logger }),
          diagnoses,
          workloads,
          findings: findings.reader,
          plans,
          drafter: planServices.drafter,
          appBaseUrl: config.getOptionalString('app.baseUrl') ?? '',
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            workloads,
            maxBodyBytes: limits.maxBodyBytes,
            logger,
            routers: {
              diagnoses: await createDiagnosisRouter({
                httpAuth,
                rateLimit: limits.rateLimits.diagnoses,
                diagnoses,
              }),
              query: createQueryRouter({
                httpAuth,
                rateLimit: limits.rateLimits.query,
                queries: new QueryService({
                  kubernetes,
                  workloads,
                  permissions,
                }),
              }),
              plans: createPlanRouter({
                httpAuth,
                reader: plans,
                services: planServices,
                rateLimit: limits.rateLimits.plans,
              }),
              postmortems: createPostmortemsRouter({ httpAuth, postmortems }),
              alerts: createAlertsRouter({
                httpAuth,
                alerts: alerts.service,
                reader: alerts.reader,
              }),
              findings: createFindingsRouter({
                httpAuth,
                findings: findings.reader,
              }),
              yaml: createYamlRouter({
                httpAuth,
                manifests: createManifestService({
                  config,
                  kubernetes,
                  catalog,
                  permissions,
                }),
              }),
              metrics: createMetricsRouter({
                httpAuth,
                metrics: new PrometheusMetricsService({
                  workloads,
                  client: prometheus,
                  config: prometheusConfig.metrics,
                  logger,
                }),
                slos,
              }),
              audit: createAuditRouter({
                httpAuth,
                audit: new AuthorizedAuditReader({
                  store: auditStore,
                  plans,
                  access: entityAccess,
                }),
              }),
            },
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
