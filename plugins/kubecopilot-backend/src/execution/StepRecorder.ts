import {
  OperationPlan,
  PlanStep,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AuditStore } from '../audit/types';
import { recordChange } from '../plans/recordChange';
import { PlanStore } from '../plans/types';

/** What a step change records in the audit chain. */
export interface StepEntry {
  action: string;
  actor: string;
  payload?: Record<string, unknown>;
}

/**
 * Every state change of a multi-step plan, with its audit entry in one
 * transaction (through `recordChange`), under the plan's optimistic lock.
 */
export class StepRecorder {
  constructor(
    private readonly options: { store: PlanStore; audit: AuditStore },
  ) {}

  changeStep(
    plan: OperationPlan,
    stepId: string,
    patch: Partial<PlanStep>,
    entry: { action: string; actor: string; payload?: Record<string, unknown> },
    expectedRevision = plan.revision,
  ): Promise<OperationPlan> {
    const step = plan.steps!.find(s => s.id === stepId)!;
    return this.changePlan(
      {
        ...plan,
        steps: plan.steps!.map(s => (s.id === stepId ? { ...s, ...patch } : s)),
      },
      {},
      {
        ...entry,
        payload: {
          stepId,
          step: step.title,
          ...(patch.status ? { status: patch.status } : {}),
          ...(patch.result ? { result: patch.result } : {}),
          ...entry.payload,
        },
      },
      expectedRevision,
    );
  }

  changePlan(
    plan: OperationPlan,
    patch: Partial<OperationPlan>,
    entry: { action: string; actor: string; payload?: Record<string, unknown> },
    expectedRevision = plan.revision,
  ): Promise<OperationPlan> {
    return recordChange(
      this.options.store,
      this.options.audit,
      { plan: { ...plan, ...patch }, expectedRevision },
      {
        planId: plan.id,
        entityRef: plan.entityRef,
        actor: entry.actor,
        action: entry.action,
        payload: entry.payload ?? {},
      },
    );
  }
}
