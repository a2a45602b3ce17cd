import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  kubecopilotAuditReadPermission,
  kubecopilotDiagnosePermission,
  kubecopilotPlanCreatePermission,
  kubecopilotPlanPermissions,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { HttpKubernetesBackendClient } from './kubernetes/HttpKubernetesBackendClient';
import { planResourceRef } from './permissions/resource';
import { planRules } from './permissions/rules';
import { AuthorizedPlanReader } from './plans/AuthorizedPlanReader';
import { DatabasePlanStore } from './plans/DatabasePlanStore';
import { createRouter } from './service/router';
import { AuthorizedWorkloadsService } from './workloads/AuthorizedWorkloadsService';
import { KubernetesWorkloadsService } from './workloads/KubernetesWorkloadsService';

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
      }) {
        const planStore = await DatabasePlanStore.create({ database });

        permissionsRegistry.addPermissions([
          kubecopilotDiagnosePermission,
          kubecopilotPlanCreatePermission,
          kubecopilotAuditReadPermission,
        ]);
        permissionsRegistry.addResourceType({
          resourceRef: planResourceRef,
          permissions: kubecopilotPlanPermissions,
          rules: Object.values(planRules),
          getResources: ids => planStore.getPlans(ids),
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

        httpRouter.use(await createRouter({ httpAuth, workloads, plans }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
