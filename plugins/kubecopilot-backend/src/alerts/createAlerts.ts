import {
  AuthService,
  DatabaseService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import type { DiagnosisService } from '../diagnosis/types';
import type { KubernetesBackendClient } from '../kubernetes/types';
import type { EntityReadAccess } from '../permissions/EntityReadAccess';
import { AlertEntityMapper } from './AlertEntityMapper';
import { AlertService } from './AlertService';
import { AuthorizedAlertReader } from './AuthorizedAlertReader';
import { readAlertsConfig } from './config';
import { DatabaseAlertStore } from './DatabaseAlertStore';

/** The alert intake (`POST /alerts`) and its reader (`GET /alerts`). */
export async function createAlerts(deps: {
  config: Config;
  database: DatabaseService;
  permissions: PermissionsService;
  access: EntityReadAccess;
  catalog: CatalogService;
  kubernetes: KubernetesBackendClient;
  auth: AuthService;
  logger: LoggerService;
  notifications?: NotificationService;
  /** Rules-only diagnoses, like the findings scan's. */
  diagnoses?: DiagnosisService;
}) {
  const config = readAlertsConfig(deps.config);
  const store = await DatabaseAlertStore.create({ database: deps.database });
  return {
    store,
    service: new AlertService({
      store,
      mapper: new AlertEntityMapper({
        catalog: deps.catalog,
        kubernetes: deps.kubernetes,
        config,
      }),
      auth: deps.auth,
      diagnoses: deps.diagnoses,
      notifications: deps.notifications,
      logger: deps.logger,
      config,
    }),
    reader: new AuthorizedAlertReader({
      store,
      permissions: deps.permissions,
      access: deps.access,
    }),
  };
}
