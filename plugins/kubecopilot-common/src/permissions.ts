import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Resource type of operation plans, so policies can decide by the plan's
 * namespace, cluster, risk level or entity.
 *
 * @public
 */
export const RESOURCE_TYPE_KUBECOPILOT_PLAN = 'kubecopilot-plan';

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

/** Read the audit log and verify its chain. @public */
export const kubecopilotAuditReadPermission = createPermission({
  name: 'kubecopilot.audit.read',
  attributes: { action: 'read' },
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
];

/** Permissions that act on a plan resource. @public */
export const kubecopilotPlanPermissions = [
  kubecopilotPlanReadPermission,
  kubecopilotPlanApprovePermission,
  kubecopilotPlanExecutePermission,
  kubecopilotPlanRevertPermission,
];
