import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Diagnosis } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { Knex } from 'knex';

/**
 * One object of the entity to diagnose instead of all of them. It must be
 * one of the entity's objects (as the Kubernetes plugin maps them): a
 * diagnosis never reads outside the entity.
 */
export interface DiagnosisTarget {
  /** Every cluster of the entity when omitted. */
  cluster?: string;
  /** Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, Service, Ingress or HorizontalPodAutoscaler. */
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * Whether a diagnosis is stored with its `diagnosis.created` audit entry.
 * `'always'` (the default) is what people's diagnoses get — the HTTP API,
 * MCP, alerts. `{ when }` is the findings scan's: the diagnosis is made in
 * full and returned either way, but stored and audited only when `when`
 * says so (what it found changed, or the heartbeat is due).
 */
export type DiagnosisRecording =
  | 'always'
  | { when: (diagnosis: Diagnosis) => boolean | Promise<boolean> };

export interface DiagnoseOptions {
  target?: DiagnosisTarget;
  /** The user (or service) asking: reads run on their behalf. */
  credentials: BackstageCredentials;
  /** Default `'always'`. */
  record?: DiagnosisRecording;
}

export interface ListDiagnosesOptions {
  /** Newest first; defaults to 10. */
  limit?: number;
  credentials: BackstageCredentials;
}

/** Diagnoses of an entity's workloads, made and remembered. */
export interface DiagnosisService {
  /**
   * Gathers, analyses and (when an LLM is configured) explains. Never fails
   * because a cluster, a call or the model failed: that makes a partial
   * diagnosis (`errors`) or a rules one (`fallbackReason`).
   *
   * @throws NotAllowedError without `kubecopilot.diagnose`; NotFoundError
   * when the entity (or the target within it) does not exist or is not
   * visible to the caller.
   */
  diagnose(entityRef: string, options: DiagnoseOptions): Promise<Diagnosis>;

  /** Recent diagnoses of the entity, newest first. */
  listDiagnoses(
    entityRef: string,
    options: ListDiagnosesOptions,
  ): Promise<Diagnosis[]>;
}

/** Where diagnoses are kept. */
export interface DiagnosisStore {
  /** Runs `fn` in one transaction: a diagnosis and its audit entry commit together. */
  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T>;

  save(
    diagnosis: Diagnosis,
    options: { createdBy: string; tx?: Knex.Transaction },
  ): Promise<void>;

  /** Newest first (ties by id). */
  list(entityRef: string, limit: number): Promise<Diagnosis[]>;

  /**
   * Deletes diagnoses made before `olderThan`, except each entity's newest
   * `keepPerEntity`, in batches; the number deleted. Audit entries are kept.
   */
  prune(options: { olderThan: Date; keepPerEntity: number }): Promise<number>;
}
