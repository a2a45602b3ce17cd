import {
  AlertRecord,
  AuditEntry,
  AuditVerification,
  Diagnosis,
  FindingRecord,
  OperationPlan,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** A Kubernetes event of one of the entity's objects. */
export interface EntityEvent {
  uid: string;
  cluster: string;
  at: string;
  type: string;
  reason: string;
  message: string;
  /** `Pod shop/checkout-7d9f-x2` */
  object: string;
  count: number;
}

/** Everything a postmortem draft is made from, read with the caller's permissions. */
export interface PostmortemInput {
  entityRef: string;
  from: Date;
  to: Date;
  events: EntityEvent[];
  findings: FindingRecord[];
  alerts: AlertRecord[];
  diagnoses: Diagnosis[];
  /** The entity's audit entries in the window, any order. */
  audit: AuditEntry[];
  plans: Map<string, OperationPlan>;
  verification: AuditVerification;
  errors: string[];
}
