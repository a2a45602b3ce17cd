import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AuditEntryInput, AuditStore } from '../audit/types';
import { PlanStore } from './types';

/**
 * Saves a plan change and its audit entry in one transaction: either both
 * are written or neither is. Every lifecycle step goes through here, so no
 * plan can change without its entry in the hash chain.
 */
export async function recordChange(
  store: PlanStore,
  audit: AuditStore,
  change: {
    plan: OperationPlan;
    expectedRevision: number;
    idempotencyKey?: string;
    executionResult?: unknown;
  },
  entry: AuditEntryInput,
): Promise<OperationPlan> {
  return store.transaction(async tx => {
    const saved = await store.updatePlan(change.plan, {
      expectedRevision: change.expectedRevision,
      tx,
      ...(change.idempotencyKey !== undefined && {
        idempotencyKey: change.idempotencyKey,
      }),
      ...(change.executionResult !== undefined && {
        executionResult: change.executionResult,
      }),
    });
    await audit.append(entry, tx);
    return saved;
  });
}
