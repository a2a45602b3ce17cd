import {
  AuthService,
  DatabaseService,
  LifecycleService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader, JsonObject } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { readDiagnosisRetentionConfig } from '../diagnosis/retention';
import type { DiagnosisService } from '../diagnosis/types';
import type { EntityReadAccess } from '../permissions/EntityReadAccess';
import { AuthorizedFindingReader } from './AuthorizedFindingReader';
import { readFindingsConfig } from './config';
import { DatabaseFindingStore } from './DatabaseFindingStore';
import { FindingNotifier } from './FindingNotifier';
import { FindingsScanner, PlanDraftingService } from './FindingsScanner';

/** The scheduler's id of the findings scan (`scheduler.triggerTask` runs it now). */
export const FINDINGS_SCAN_TASK_ID = 'kubecopilot-findings-scan';

/**
 * The root config with `kubecopilot.llm.provider: none` on top: what the
 * scan diagnoses with unless `kubecopilot.findings.scan.useLlm` is set.
 */
export function rulesOnlyConfig(config: Config): Config {
  return ConfigReader.fromConfigs([
    { context: 'root', data: config.get<JsonObject>() },
    {
      context: 'kubecopilot-findings-scan',
      data: { kubecopilot: { llm: { provider: 'none' } } },
    },
  ]);
}

/**
 * The findings reader for `GET /findings`, and — when
 * `kubecopilot.findings.scan.enabled` — the scan, scheduled once across
 * replicas. `createDiagnoses` builds the diagnosis service it scans with,
 * from the config given (rules only unless the scan opts into the LLM).
 */
export async function createFindings(deps: {
  config: Config;
  database: DatabaseService;
  permissions: PermissionsService;
  access: EntityReadAccess;
  catalog: CatalogService;
  auth: AuthService;
  scheduler: SchedulerService;
  logger: LoggerService;
  notifications?: NotificationService;
  createDiagnoses: (config: Config) => Promise<DiagnosisService>;
  drafter?: PlanDraftingService;
  /**
   * When given, the scan is scheduled once the backend has started, so its
   * initial delay counts from then: a first scan that starts while other
   * plugins are still starting slows their start, and requests that wait
   * for it past `backend.lifecycle.startupRequestPauseTimeout` (5 s)
   * answer 503 "Service has not started up yet".
   */
  lifecycle?: Pick<LifecycleService, 'addStartupHook'>;
}) {
  const { config, logger } = deps;
  const scanConfig = readFindingsConfig(config);
  const store = await DatabaseFindingStore.create({
    database: deps.database,
  });
  const reader = new AuthorizedFindingReader({
    store,
    permissions: deps.permissions,
    access: deps.access,
  });
  if (!scanConfig.enabled) {
    return { store, reader, scanner: undefined };
  }
  const retention = readDiagnosisRetentionConfig(config);
  if (
    retention.enabled &&
    scanConfig.recordEveryMs >= retention.maxAgeDays * 24 * 60 * 60 * 1000
  ) {
    logger.warn(
      `kubecopilot.findings.scan.recordEvery is not shorter than kubecopilot.diagnoses.retention.maxAgeDays (${retention.maxAgeDays} days): the diagnosis an unchanged entity's findings point to may be pruned`,
    );
  }
  const scanner = new FindingsScanner({
    catalog: deps.catalog,
    auth: deps.auth,
    diagnoses: await deps.createDiagnoses(
      scanConfig.useLlm ? config : rulesOnlyConfig(config),
    ),
    store,
    notifier: new FindingNotifier({
      notifications: deps.notifications,
      logger,
    }),
    logger,
    config: scanConfig,
    drafter: deps.drafter,
  });
  const schedule = () =>
    deps.scheduler.scheduleTask({
      id: FINDINGS_SCAN_TASK_ID,
      ...scanConfig.schedule,
      // Once across replicas, whatever the configured schedule says.
      scope: 'global',
      fn: async signal => {
        const summary = await scanner.scan(signal);
        logger.info(
          `Findings scan: ${summary.entities} entities in ${
            summary.durationMs
          } ms; ${summary.opened} opened, ${summary.updated} still open, ${
            summary.resolved
          } resolved, ${summary.notified} notified, ${
            summary.recorded
          } diagnosis(es) recorded, ${summary.plansDrafted} plan(s) drafted${
            summary.failed.length
              ? `; incomplete for ${summary.failed.join(', ')}`
              : ''
          }`,
        );
      },
    });
  if (deps.lifecycle) {
    deps.lifecycle.addStartupHook(schedule);
  } else {
    await schedule();
  }
  return { store, reader, scanner };
}
