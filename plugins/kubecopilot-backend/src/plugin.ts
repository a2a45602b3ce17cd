import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
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
import { createDiagnosisService } from './diagnosis/createDiagnosisService';
import { QueryService } from './query/QueryService';
import { createAuditStore } from './audit/createAuditStore';
import { AuthorizedAuditReader } from './audit/AuthorizedAuditReader';
import { PlanExecutor } from './execution/PlanExecutor';
import { PlanService } from './plans/PlanService';
import { BackstagePlanNotifier } from './plans/PlanNotifier';
import { readPlanConfig } from './plans/config';
import { RuleBasedRiskEngine } from './risk';
import { createIntentPlanner } from './intents/createIntentPlanner';
import { AuthorizedWorkloadsService } from './workloads/AuthorizedWorkloadsService';
import { KubernetesWorkloadsService } from './workloads/KubernetesWorkloadsService';
import { createLimits } from './limits';
import { CanaryPlanService } from './canary/CanaryPlanService';
import { readCanaryAnalysisConfig } from './canary/config';
import { createCanaryRationaleWriter } from './canary/CanaryRationaleWriter';
import { StepRunner } from './execution/StepRunner';
import { boundedCache } from './cache/boundedCache';
import {
  createCanaryQueries,
  PrometheusClient,
  readPrometheusConfig,
} from './prometheus';

/**
 * The KubeCopilot backend plugin.
 *
 * @public
 */
export const kubecopilotPlugin = createBackendPlugin({
  pluginId: 'kubecopilot',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
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
      },
      async init({
        config,
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
      }) {
        const planConfig = readPlanConfig(config);
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
        const planService = new PlanService({
          store: planStore,
          audit: auditStore,
          kubernetes,
          catalog,
          permissions,
          rules: permissionsRegistry.getPermissionRuleset(planResourceRef),
          whitelist: planConfig.whitelist,
          risk: new RuleBasedRiskEngine(),
          notifier,
          auditor,
          logger,
          intentPlanner: await createIntentPlanner(config, planConfig.whitelist, {
            llmBudget: limits.llmBudget,
          }),
          productionNamespaces: planConfig.productionNamespaces,
          secondApproverFor: planConfig.secondApproverFor,
          maxReplicas: planConfig.maxReplicas,
        });
        // Canary plans: metric gates against the cluster's Prometheus.
        const prometheusConfig = readPrometheusConfig(config);
        const metrics = new PrometheusClient(prometheusConfig);
        const canaries = new CanaryPlanService({
          plans: planService,
          risk: new RuleBasedRiskEngine(),
          metrics,
          queries: createCanaryQueries(prometheusConfig.queries),
          analysis: readCanaryAnalysisConfig(config),
          rationale: await createCanaryRationaleWriter(config, {
            llmBudget: limits.llmBudget,
          }),
          productionNamespaces: planConfig.productionNamespaces,
          secondApproverFor: planConfig.secondApproverFor,
        });
        const steps = new StepRunner({
          store: planStore,
          audit: auditStore,
          kubernetes,
          metrics,
          notifier,
          auth,
          logger,
        });
        lifecycle.addShutdownHook(() => steps.shutdown());
        const executor = new PlanExecutor({
          store: planStore,
          audit: auditStore,
          kubernetes,
          plans: planService,
          notifier,
          logger,
          steps,
          executingGraceMs:
            (config.getOptionalNumber(
              'kubecopilot.maintenance.executingGraceSeconds',
            ) ?? 60) * 1000,
        });

        // Plan maintenance, once across replicas: settle plans a stopped
        // backend left `executing` (from the live objects, never by writing
        // again) and expire plans that waited too long for a decision.
        await scheduler.scheduleTask({
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
            const settled = await executor.reconcile(
              await auth.getOwnServiceCredentials(),
            );
            if (settled > 0) {
              logger.info(`Reconciled ${settled} plan(s) left executing`);
            }
            const expired = await planService.expireStalePlans(
              planConfig.expireAfterMs,
            );
            if (expired > 0) {
              logger.info(`Expired ${expired} plan(s) that waited too long`);
            }
          },
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            workloads,
            plans,
            maxBodyBytes: limits.maxBodyBytes,
            logger,
            routes: [
              await createDiagnosisRouter({
                httpAuth,
                rateLimit: limits.rateLimits.diagnoses,
                diagnoses: await createDiagnosisService({
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
                }),
              }),
              createQueryRouter({
                httpAuth,
                rateLimit: limits.rateLimits.query,
                queries: new QueryService({ kubernetes, workloads, permissions }),
              }),
              createPlanRouter({
                httpAuth,
                plans: planService,
                executor,
                canaries,
                rateLimit: limits.rateLimits.plans,
              }),
              createAuditRouter({
                httpAuth,
                audit: new AuthorizedAuditReader({
                  store: auditStore,
                  plans,
                  access: entityAccess,
                }),
              }),
            ],
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
