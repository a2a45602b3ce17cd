import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  PlanAction,
  planActionSchema,
  Severity,
  severitySchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

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
  };
}
