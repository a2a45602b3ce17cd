import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  FindingRecord,
  Severity,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** Notification severity by finding severity. */
const NOTIFICATION_SEVERITY = {
  critical: 'critical',
  error: 'high',
  warning: 'normal',
  info: 'low',
} as const;

/** The topic of a finding notification: one per severity, so people can mute by it. */
export const findingTopic = (severity: Severity) =>
  `kubecopilot-findings-${severity}`;

/** The entity's "AI Diagnose" tab, where the finding is explained. */
export function diagnoseLink(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/kubecopilot-diagnose`;
}

/**
 * Tells an entity's owners (the notifications backend resolves an entity
 * recipient to its owner) about findings newly opened on it: one
 * notification per severity per scan. Returns the fingerprints told, so
 * the store marks them and a finding still open is never announced again.
 */
export class FindingNotifier {
  constructor(
    private readonly options: {
      notifications?: NotificationService;
      logger: LoggerService;
    },
  ) {}

  async findingsOpened(
    entityRef: string,
    opened: FindingRecord[],
  ): Promise<string[]> {
    const { notifications, logger } = this.options;
    if (!notifications || opened.length === 0) return [];
    const bySeverity = new Map<Severity, FindingRecord[]>();
    for (const record of opened) {
      bySeverity.set(record.severity, [
        ...(bySeverity.get(record.severity) ?? []),
        record,
      ]);
    }
    const told: string[] = [];
    const { name } = parseEntityRef(entityRef);
    for (const [severity, records] of bySeverity) {
      const first = records[0];
      const more = records.length > 1 ? ` and ${records.length - 1} more` : '';
      try {
        await notifications.send({
          recipients: { type: 'entity', entityRef },
          payload: {
            title: `${name}: ${first.title}${more}`,
            description: records
              .map(r => `${r.title}: ${r.finding.message}`)
              .join('\n')
              .slice(0, 2000),
            link: diagnoseLink(entityRef),
            severity: NOTIFICATION_SEVERITY[severity],
            topic: findingTopic(severity),
          },
        });
        told.push(...records.map(r => r.fingerprint));
      } catch (error) {
        // Not marked: the next scan tries again.
        logger.warn(
          `Could not notify the owner of ${entityRef} about ${records.length} finding(s): ${error}`,
        );
      }
    }
    return told;
  }
}
