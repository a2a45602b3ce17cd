import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  AlertmanagerWebhook,
  AlertRecord,
  Diagnosis,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { DiagnosisService } from '../diagnosis/types';
import { diagnoseLink } from '../findings/FindingNotifier';
import { AlertEntityMapper } from './AlertEntityMapper';
import { AlertsConfig } from './config';
import { AlertChange, AlertStore } from './types';

/** What one webhook call did. */
export interface WebhookResult {
  received: number;
  fired: number;
  resolved: number;
  unchanged: number;
  /** Alerts whose labels map to no entity (kept, listed by `GET /alerts`). */
  unmapped: number;
}

/** Notification severity by the alert's `severity` label. */
const NOTIFICATION_SEVERITY: Record<
  string,
  'critical' | 'high' | 'normal' | 'low'
> = {
  critical: 'critical',
  page: 'critical',
  error: 'high',
  high: 'high',
  warning: 'normal',
  info: 'low',
  none: 'low',
};

/**
 * Alertmanager in: each alert of a webhook is kept once per episode and
 * mapped to its entity; a newly firing alert of a known entity gets a
 * diagnosis (as the plugin's service principal) and its owner a
 * notification with the diagnosis' summary; a resolved alert closes its
 * record. A retried webhook changes nothing. Nothing here changes a cluster.
 */
export class AlertService {
  constructor(
    private readonly options: {
      store: AlertStore;
      mapper: AlertEntityMapper;
      auth: AuthService;
      diagnoses?: DiagnosisService;
      notifications?: NotificationService;
      logger: LoggerService;
      config: AlertsConfig;
      now?: () => Date;
    },
  ) {}

  async receive(webhook: AlertmanagerWebhook): Promise<WebhookResult> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const result: WebhookResult = {
      received: webhook.alerts.length,
      fired: 0,
      resolved: 0,
      unchanged: 0,
      unmapped: 0,
    };
    // One diagnosis per entity per webhook, however many of its alerts fired.
    const diagnoses = new Map<string, Promise<Diagnosis | undefined>>();
    for (const alert of webhook.alerts) {
      const { record, change } = await this.options.store.receive(
        webhook.groupKey,
        alert,
        () => this.options.mapper.map(alert.labels, credentials),
        this.options.now?.() ?? new Date(),
      );
      this.count(result, change, record);
      if (change !== 'fired' || !record.entityRef) continue;
      const entityRef = record.entityRef;
      if (!diagnoses.has(entityRef)) {
        diagnoses.set(entityRef, this.diagnose(entityRef, credentials));
      }
      const diagnosis = await diagnoses.get(entityRef)!;
      const summary = diagnosis
        ? diagnosis.headline ?? diagnosis.summary
        : undefined;
      if (diagnosis && summary) {
        await this.options.store.attachDiagnosis(
          record.id,
          diagnosis.id,
          summary,
        );
      }
      await this.notify(record, summary);
    }
    return result;
  }

  private count(
    result: WebhookResult,
    change: AlertChange,
    record: AlertRecord,
  ) {
    if (change === 'fired') result.fired += 1;
    else if (change === 'resolved' || change === 'resolved-unseen')
      result.resolved += 1;
    else result.unchanged += 1;
    if (change !== 'unchanged' && !record.entityRef) result.unmapped += 1;
  }

  private async diagnose(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Diagnosis | undefined> {
    if (!this.options.diagnoses || !this.options.config.diagnose)
      return undefined;
    try {
      return await this.options.diagnoses.diagnose(entityRef, { credentials });
    } catch (error) {
      this.options.logger.warn(
        `Could not diagnose ${entityRef} for a firing alert: ${error}`,
      );
      return undefined;
    }
  }

  private async notify(record: AlertRecord, summary: string | undefined) {
    const { notifications, logger, config } = this.options;
    if (!notifications || !record.entityRef) return;
    const { name } = parseEntityRef(record.entityRef);
    const described =
      record.annotations.summary ?? record.annotations.description ?? '';
    const severity =
      NOTIFICATION_SEVERITY[record.labels.severity ?? ''] ??
      NOTIFICATION_SEVERITY[config.defaultSeverity];
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: record.entityRef },
        payload: {
          title: `${record.alertname} firing for ${name}`,
          description: [
            described,
            summary ? `KubeCopilot's diagnosis: ${summary}` : '',
          ]
            .filter(Boolean)
            .join('\n')
            .slice(0, 2000),
          link: diagnoseLink(record.entityRef),
          severity,
          topic: 'kubecopilot-alerts',
          scope: `kubecopilot-alert:${record.id}`,
        },
      });
      await this.options.store.markNotified(record.id, new Date());
    } catch (error) {
      logger.warn(`Could not notify about alert ${record.id}: ${error}`);
    }
  }
}
