import { coreServices } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';

/** The services the plugin depends on. */
export const pluginDeps = {
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
};

/** The resolved services, as `init` receives them. */
export type PluginDeps = {
  [K in keyof typeof pluginDeps]: (typeof pluginDeps)[K] extends {
    T: infer T;
  }
    ? T
    : never;
};
