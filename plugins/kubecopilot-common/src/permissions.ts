import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Resource type of operation plans, so policies can decide by the plan's
 * namespace, cluster, risk level or entity.
 *
 * @public
 */
export const RESOURCE_TYPE_KUBECOPILOT_PLAN = 'kubecopilot-plan';

/**
 * Resource type of what KubeCopilot records about a catalog entity — its
 * audit entries and its stored diagnoses — so policies can scope reads by
 * entity (e.g. "entities the user owns"). The resource ref is the entity ref.
 *
 * @public
 */
export const RESOURCE_TYPE_KUBECOPILOT_ENTITY = 'kubecopilot-entity';

/** Diagnose an entity's workloads. @public */
export const kubecopilotDiagnosePermission = createPermission({
  name: 'kubecopilot.diagnose',
  attributes: { action: 'read' },
});

/** Draft an operation plan. @public */
export const kubecopilotPlanCreatePermission = createPermission({
  name: 'kubecopilot.plan.create',
  attributes: { action: 'create' },
});

/** Read plans. @public */
export const kubecopilotPlanReadPermission = createPermission({
  name: 'kubecopilot.plan.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_KUBECOPILOT_PLAN,
});

/** Approve or reject a plan. @public */
export const kubecopilotPlanApprovePermission = createPermission({
  name: 'kubecopilot.plan.approve',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_KUBECOPILOT_PLAN,
});

/** Execute an approved plan. @public */
export const kubecopilotPlanExecutePermission = createPermission({
  name: 'kubecopilot.plan.execute',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_KUBECOPILOT_PLAN,
});

/** Revert an executed plan. @public */
export const kubecopilotPlanRevertPermission = createPermission({
  name: 'kubecopilot.plan.revert',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_KUBECOPILOT_PLAN,
});

/**
 * Read the audit log, entity by entity. A conditional decision limits the
 * entries to the entities it matches; entries about no entity need an
 * unconditional allow. Verifying the chain (counts, never contents) needs
 * only that this is not denied.
 *
 * @public
 */
export const kubecopilotAuditReadPermission = createPermission({
  name: 'kubecopilot.audit.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_KUBECOPILOT_ENTITY,
});

/**
 * Read the stored diagnoses of an entity (they hold log excerpts). Listing
 * them also needs `kubecopilot.diagnose`.
 *
 * @public
 */
export const kubecopilotDiagnosisReadPermission = createPermission({
  name: 'kubecopilot.diagnosis.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_KUBECOPILOT_ENTITY,
});

/** Every KubeCopilot permission. @public */
export const kubecopilotPermissions = [
  kubecopilotDiagnosePermission,
  kubecopilotPlanCreatePermission,
  kubecopilotPlanReadPermission,
  kubecopilotPlanApprovePermission,
  kubecopilotPlanExecutePermission,
  kubecopilotPlanRevertPermission,
  kubecopilotAuditReadPermission,
  kubecopilotDiagnosisReadPermission,
];

/** Permissions that act on a plan resource. @public */
export const kubecopilotPlanPermissions = [
  kubecopilotPlanReadPermission,
  kubecopilotPlanApprovePermission,
  kubecopilotPlanExecutePermission,
  kubecopilotPlanRevertPermission,
];

/**
 * Permissions that act on what is recorded about an entity (the
 * `kubecopilot-entity` resource).
 *
 * @public
 */
export const kubecopilotEntityPermissions = [
  kubecopilotAuditReadPermission,
  kubecopilotDiagnosisReadPermission,
];
