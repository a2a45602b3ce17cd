import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  Finding,
  FindingRecord,
  FindingStatus,
  Severity,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { EntityRefFilter } from '../permissions/EntityReadAccess';

/** What one scan saw of one entity. */
export interface EntityObservation {
  entityRef: string;
  ownerRef?: string;
  findings: Finding[];
  diagnosisId?: string;
  seenAt: Date;
  /**
   * False when the diagnosis was partial (a cluster or a read failed): then
   * nothing is resolved, since an unread object is not a healthy one.
   */
  complete: boolean;
  /**
   * Set when the scan recorded this observation's diagnosis: kept, in the
   * same transaction, as what the next scan compares with.
   */
  recorded?: RecordedScan;
}

/** The diagnosis the scan last recorded for an entity (see `scanSignatureOf`). */
export interface RecordedScan {
  diagnosisId: string;
  signature: string;
  recordedAt: Date;
}

/** What reconciling an observation changed. */
export interface ReconcileResult {
  /** First seen, or back after being resolved: the owner is to be told. */
  opened: FindingRecord[];
  /** Still there: last seen moved. */
  updated: number;
  resolved: FindingRecord[];
}

export interface FindingQuery {
  status?: FindingStatus;
  entityRef?: string;
  ownerRef?: string;
  severity?: Severity;
  cluster?: string;
  /** Default 200, at most 1000; newest last-seen first. */
  limit?: number;
  /** The caller's permission, as SQL (see EntityReadAccess.toFilter). */
  filter?: PermissionCriteria<EntityRefFilter>;
}

/** Where findings are kept across scans. */
export interface FindingStore {
  reconcile(observation: EntityObservation): Promise<ReconcileResult>;
  /** Records that the owner was told about these openings. */
  markNotified(
    entityRef: string,
    fingerprints: string[],
    at: Date,
  ): Promise<void>;
  /** Records the pending draft plan made for a finding. */
  setPlan(
    entityRef: string,
    fingerprint: string,
    planId: string,
  ): Promise<void>;
  list(query: FindingQuery): Promise<FindingRecord[]>;
  /** What the scan last recorded for the entity; undefined before its first. */
  lastRecorded(entityRef: string): Promise<RecordedScan | undefined>;
}
