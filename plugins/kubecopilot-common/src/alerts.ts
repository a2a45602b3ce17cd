import { z } from 'zod';

/** @public */
export const alertStatusSchema = z.enum(['firing', 'resolved']);
/** @public */
export type AlertStatus = z.infer<typeof alertStatusSchema>;

const labelSet = z.record(z.string(), z.string());

/**
 * One alert of Alertmanager's webhook payload (version 4).
 *
 * @public
 */
export const alertmanagerAlertSchema = z.object({
  status: alertStatusSchema,
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: z.string(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1).max(64),
});
/** @public */
export type AlertmanagerAlert = z.infer<typeof alertmanagerAlertSchema>;

/**
 * Alertmanager's webhook payload, version 4
 * (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config).
 *
 * @public
 */
export const alertmanagerWebhookSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string().min(1).max(512),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: alertStatusSchema,
  receiver: z.string(),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().optional(),
  alerts: z.array(alertmanagerAlertSchema).max(1000),
});
/** @public */
export type AlertmanagerWebhook = z.infer<typeof alertmanagerWebhookSchema>;

/**
 * An alert KubeCopilot received, with the entity its labels map to (none:
 * kept and listed as unknown) and the diagnosis made when it fired.
 *
 * @public
 */
export const alertRecordSchema = z.object({
  id: z.string(),
  groupKey: z.string(),
  fingerprint: z.string(),
  status: alertStatusSchema,
  alertname: z.string(),
  labels: labelSet,
  annotations: labelSet,
  startsAt: z.string(),
  endsAt: z.string().optional(),
  entityRef: z.string().optional(),
  ownerRef: z.string().optional(),
  /** How the labels were mapped to the entity, or why they could not be. */
  mapping: z.string(),
  diagnosisId: z.string().optional(),
  diagnosisSummary: z.string().optional(),
  notifiedAt: z.string().optional(),
  receivedAt: z.string(),
  updatedAt: z.string(),
});
/** @public */
export type AlertRecord = z.infer<typeof alertRecordSchema>;

/** `GET /alerts`. @public */
export const alertListResponseSchema = z.object({
  items: z.array(alertRecordSchema),
});
/** @public */
export type AlertListResponse = z.infer<typeof alertListResponseSchema>;
