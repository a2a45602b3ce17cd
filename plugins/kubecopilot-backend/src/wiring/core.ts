import {
  kubecopilotDiagnosePermission,
  kubecopilotEntityPermissions,
  kubecopilotPlanCreatePermission,
  kubecopilotPlanPermissions,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { createAuditStore } from '../audit/createAuditStore';
import { boundedCache } from '../cache/boundedCache';
import { createDiagnosisService } from '../diagnosis/createDiagnosisService';
import { ModuleExtensions } from '../extensions';
import { HttpKubernetesBackendClient } from '../kubernetes/HttpKubernetesBackendClient';
import { createLimits } from '../limits';
import { EntityReadAccess } from '../permissions/EntityReadAccess';
import { loadEntityResources } from '../permissions/entityResources';
import { entityResourceRef, planResourceRef } from '../permissions/resource';
import { entityRules, planRules } from '../permissions/rules';
import { AuthorizedPlanReader } from '../plans/AuthorizedPlanReader';
import { DatabasePlanStore } from '../plans/DatabasePlanStore';
import { PrometheusClient, readPrometheusConfig } from '../prometheus';
import { AuthorizedWorkloadsService } from '../workloads/AuthorizedWorkloadsService';
import { KubernetesWorkloadsService } from '../workloads/KubernetesWorkloadsService';
import { PluginDeps } from './deps';

/**
 * What every feature of the plugin stands on: the bounded cache and limits,
 * the plan and audit stores, the plan and entity resource types of the
 * permission framework, the Kubernetes client, the authorized readers and
 * Prometheus.
 */
export async function createCore(
  deps: PluginDeps,
  extensions: ModuleExtensions,
) {
  const { config, database, logger, auth, catalog, permissions } = deps;
  const { permissionsRegistry } = deps;
  // A shared cache store that goes away must not hang requests.
  const cache = boundedCache(
    deps.cache,
    config.getOptionalNumber('kubecopilot.cache.timeoutMs'),
  );
  const limits = await createLimits({
    config,
    cache,
    httpAuth: deps.httpAuth,
    database,
    logger,
    scheduler: deps.scheduler,
  });
  const planStore = await DatabasePlanStore.create({ database });
  const auditStore = await createAuditStore({
    config,
    database,
    logger,
    auditor: deps.auditor,
    scheduler: deps.scheduler,
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
      loadEntityResources(catalog, refs, await auth.getOwnServiceCredentials()),
  });

  const kubernetes = HttpKubernetesBackendClient.fromConfig(config, {
    discovery: deps.discovery,
    auth,
  });
  const entityAccess = new EntityReadAccess({
    permissions,
    catalog,
    rules: permissionsRegistry.getPermissionRuleset(entityResourceRef),
    logger,
  });
  const prometheusConfig = readPrometheusConfig(config);
  const core = {
    deps,
    extensions,
    cache,
    limits,
    planStore,
    auditStore,
    kubernetes,
    entityAccess,
    planRules: permissionsRegistry.getPermissionRuleset(planResourceRef),
    workloads: new AuthorizedWorkloadsService(
      new KubernetesWorkloadsService({ catalog, kubernetes }),
      permissions,
    ),
    plans: new AuthorizedPlanReader({
      store: planStore,
      permissions,
      rules: permissionsRegistry.getPermissionRuleset(planResourceRef),
    }),
    prometheusConfig,
    prometheus: new PrometheusClient(prometheusConfig),
  };
  return {
    ...core,
    /**
     * A diagnosis service on the core's stores and access checks; the HTTP
     * API, the findings scan and the alert intake each make their own.
     */
    diagnosisService: (
      options: Partial<Parameters<typeof createDiagnosisService>[0]> = {},
    ) =>
      createDiagnosisService({
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
        ...options,
      }),
  };
}

/** The core every feature stands on. */
export type Core = Awaited<ReturnType<typeof createCore>>;
