import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** What the plan state machine allows next, before permissions are asked. */
export interface PlanActionsAllowed {
  approve: boolean;
  reject: boolean;
  execute: boolean;
  revert: boolean;
}

/**
 * Mirrors the backend's lifecycle (pending → confirmed → executing →
 * executed → reverted); the backend stays the judge, this only keeps buttons
 * that would certainly fail from being offered.
 */
export function allowedByState(
  plan: Pick<OperationPlan, 'status' | 'action'>,
): PlanActionsAllowed {
  return {
    approve: plan.status === 'pending',
    reject: plan.status === 'pending',
    execute: plan.status === 'confirmed',
    // Deleting cannot be undone by the backend: there is nothing to restore to.
    revert: plan.status === 'executed' && plan.action !== 'delete',
  };
}

/** A plan in these states will not change again without someone acting. */
export function isSettled(plan: Pick<OperationPlan, 'status'>): boolean {
  return plan.status !== 'executing';
}

/** Strips what makes a manifest long without saying anything about the change. */
export function forReading(
  object: Record<string, unknown> | null,
): Record<string, unknown> | null {
  if (!object) {
    return null;
  }
  const { status: _status, ...rest } = object;
  const metadata = rest.metadata as Record<string, unknown> | undefined;
  if (metadata && typeof metadata === 'object') {
    const { managedFields: _managedFields, ...keptMetadata } = metadata;
    return { ...rest, metadata: keptMetadata };
  }
  return rest;
}
