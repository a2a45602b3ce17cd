import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  AlertmanagerAlert,
  AlertRecord,
  AlertStatus,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { EntityRefFilter } from '../permissions/EntityReadAccess';

/** Which catalog entity an alert's labels stand for. */
export interface AlertMapping {
  entityRef?: string;
  ownerRef?: string;
  /** How it was mapped ("label backstage_entity", "Deployment shop/checkout → …"), or why not. */
  mapping: string;
}

/**
 * What receiving one alert changed: `fired` (a new firing episode: diagnose
 * and notify), `resolved` (a firing one closed), `resolved-unseen` (the
 * resolution of an episode never seen firing: kept), `unchanged` (a retry).
 */
export type AlertChange =
  | 'fired'
  | 'resolved'
  | 'resolved-unseen'
  | 'unchanged';

export interface AlertQuery {
  status?: AlertStatus;
  entityRef?: string;
  /** Default 200, at most 1000; newest first. */
  limit?: number;
  filter?: PermissionCriteria<EntityRefFilter>;
}

/** Where received alerts are kept, one row per episode. */
export interface AlertStore {
  receive(
    groupKey: string,
    alert: AlertmanagerAlert,
    mapping: () => Promise<AlertMapping>,
    now: Date,
  ): Promise<{ record: AlertRecord; change: AlertChange }>;
  attachDiagnosis(
    id: string,
    diagnosisId: string,
    summary: string,
  ): Promise<void>;
  markNotified(id: string, at: Date): Promise<void>;
  list(query: AlertQuery): Promise<AlertRecord[]>;
}
