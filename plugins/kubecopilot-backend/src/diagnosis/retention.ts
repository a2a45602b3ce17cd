import {
  DatabaseService,
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { DatabaseDiagnosisStore } from './DatabaseDiagnosisStore';
import type { DiagnosisStore } from './types';

/** The scheduler's id of the prune (`scheduler.triggerTask` runs it now). */
export const DIAGNOSIS_RETENTION_TASK_ID = 'kubecopilot-diagnosis-retention';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `kubecopilot.diagnoses.retention.*`. */
export interface DiagnosisRetentionConfig {
  enabled: boolean;
  /** Diagnoses older than this many days are deleted… */
  maxAgeDays: number;
  /** …except each entity's newest this many, however old. */
  keepPerEntity: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 6 },
  timeout: { minutes: 15 },
  // Not while the backend is starting and the first findings scan runs.
  initialDelay: { minutes: 5 },
};

function wholeNumber(
  config: Config | undefined,
  key: string,
  fallback: number,
  min: number,
): number {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new Error(
      `kubecopilot.diagnoses.retention.${key} must be a whole number of at least ${min}, got ${value}`,
    );
  }
  return value;
}

export function readDiagnosisRetentionConfig(
  config: Config,
): DiagnosisRetentionConfig {
  const retention = config.getOptionalConfig('kubecopilot.diagnoses.retention');
  return {
    enabled: retention?.getOptionalBoolean('enabled') ?? true,
    maxAgeDays: wholeNumber(retention, 'maxAgeDays', 30, 1),
    keepPerEntity: wholeNumber(retention, 'keepPerEntity', 20, 0),
    schedule: retention?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          retention.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
  };
}

/** One prune by the configured retention; the number deleted. */
export function pruneDiagnoses(
  store: Pick<DiagnosisStore, 'prune'>,
  retention: Pick<DiagnosisRetentionConfig, 'maxAgeDays' | 'keepPerEntity'>,
  now: Date = new Date(),
): Promise<number> {
  return store.prune({
    olderThan: new Date(now.getTime() - retention.maxAgeDays * DAY_MS),
    keepPerEntity: retention.keepPerEntity,
  });
}

/**
 * Schedules the prune of stored diagnoses, once across replicas. Audit
 * entries are never deleted (they form the hash chain): a `diagnosisId` in
 * one, or in a finding, may name a diagnosis that is gone.
 */
export async function scheduleDiagnosisRetention(deps: {
  config: Config;
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
}): Promise<DiagnosisRetentionConfig> {
  const retention = readDiagnosisRetentionConfig(deps.config);
  if (!retention.enabled) return retention;
  const store = await DatabaseDiagnosisStore.create({
    database: deps.database,
  });
  await deps.scheduler.scheduleTask({
    id: DIAGNOSIS_RETENTION_TASK_ID,
    ...retention.schedule,
    // Once across replicas, whatever the configured schedule says.
    scope: 'global',
    fn: async () => {
      const deleted = await pruneDiagnoses(store, retention);
      deps.logger.info(
        `Diagnosis retention: deleted ${deleted} diagnosis(es) older than ${retention.maxAgeDays} days, keeping each entity's newest ${retention.keepPerEntity}`,
      );
    },
  });
  return retention;
}
