import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import {
  PlanAction,
  planActionSchema,
  Severity,
  severitySchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

type HumanDuration = ReturnType<typeof readDurationFromConfig>;

export interface FindingsScanConfig {
  enabled: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Narrows the catalog entities scanned (a catalog filter, e.g. `{ kind: component }`). */
  filter: Record<string, string | string[]>;
  /** Explain with the configured LLM too (within the token budget); default rules only. */
  useLlm: boolean;
  /** Entities diagnosed at once. */
  concurrency: number;
  /** The least severe finding the owner is notified of. */
  notifyMinSeverity: Severity;
  draftPlans: { enabled: boolean; actions: PlanAction[] };
  /**
   * `scan.recordEvery`, in ms: a scan that finds what it last recorded
   * stores no new diagnosis (nor audit entry) until this long after it.
   */
  recordEveryMs: number;
}

const DEFAULT_RECORD_EVERY: HumanDuration = { hours: 24 };

const MS: Record<keyof HumanDuration, number> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 7 * 86_400_000,
  // Calendar units, as the scheduler reads them: close enough for a heartbeat.
  months: 30 * 86_400_000,
  years: 365 * 86_400_000,
};

function toMilliseconds(duration: HumanDuration): number {
  return Object.entries(duration).reduce(
    (sum, [unit, value]) =>
      sum + (value ?? 0) * (MS[unit as keyof HumanDuration] ?? 0),
    0,
  );
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 30 },
};

/** Plan actions a scan may draft for, by default: the reversible ones. */
const DEFAULT_DRAFT_ACTIONS: PlanAction[] = ['restart', 'rollback'];

/** `kubecopilot.findings.*`; everything off unless `scan.enabled`. */
export function readFindingsConfig(config: Config): FindingsScanConfig {
  const findings = config.getOptionalConfig('kubecopilot.findings');
  const scan = findings?.getOptionalConfig('scan');
  const filter = scan?.getOptional<Record<string, string | string[]>>('filter');
  const actions = findings
    ?.getOptionalStringArray('draftPlans.actions')
    ?.map(a => planActionSchema.parse(a));
  const concurrency = scan?.getOptionalNumber('concurrency') ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
    throw new Error(
      `kubecopilot.findings.scan.concurrency must be a whole number from 1 to 16, got ${concurrency}`,
    );
  }
  const recordEveryMs = toMilliseconds(
    scan?.has('recordEvery')
      ? readDurationFromConfig(scan, { key: 'recordEvery' })
      : DEFAULT_RECORD_EVERY,
  );
  if (!(recordEveryMs > 0)) {
    throw new Error(
      'kubecopilot.findings.scan.recordEvery must be a positive duration',
    );
  }
  return {
    enabled: scan?.getOptionalBoolean('enabled') ?? false,
    schedule: scan?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          scan.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
    filter: filter ?? {},
    useLlm: scan?.getOptionalBoolean('useLlm') ?? false,
    concurrency,
    notifyMinSeverity: severitySchema.parse(
      findings?.getOptionalString('notify.minSeverity') ?? 'warning',
    ),
    draftPlans: {
      enabled: findings?.getOptionalBoolean('draftPlans.enabled') ?? false,
      actions: actions ?? DEFAULT_DRAFT_ACTIONS,
    },
    recordEveryMs,
  };
}
