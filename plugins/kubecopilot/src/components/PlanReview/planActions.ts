import {
  isSameActor,
  OperationPlan,
  PlanStep,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { KubecopilotT } from '../../translation';

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

/**
 * The approval step a paused multi-step plan waits at ("confirm
 * promotion"), if any.
 */
export function waitingApproval(
  plan: Pick<OperationPlan, 'status' | 'steps'>,
): PlanStep | undefined {
  if (plan.status !== 'paused') return undefined;
  return plan.steps?.find(s => s.type === 'approval' && s.status === 'waiting');
}

/** Whether a button is offered, and in words why not. */
export interface ActionDecision {
  enabled: boolean;
  /** Empty when enabled. */
  reason: string;
}

/** Confirm / decline of the approval step a paused plan waits at. */
export interface PromotionActions {
  /** The waiting approval step; the buttons act on it. */
  step?: PlanStep;
  confirm: ActionDecision;
  decline: ActionDecision;
}

/**
 * Whether the signed-in user may confirm or decline the promotion a paused
 * plan waits for. Both need the approve permission; confirming also obeys
 * the second-approver rule (the requester of a plan that needs a second
 * person may not confirm it), while declining, the safe direction, does
 * not. The backend stays the judge.
 *
 * @param me - the signed-in user's entity ref; undefined while unknown
 * @param permission - the approve permission for this plan
 */
export function promotionActions(
  plan: Pick<
    OperationPlan,
    'status' | 'steps' | 'requiresSecondApprover' | 'audit' | 'risk'
  >,
  me: string | undefined,
  permission: { loading: boolean; allowed: boolean },
  t: KubecopilotT,
): PromotionActions {
  const step = waitingApproval(plan);
  if (!step) {
    const reason = t('reviewBar.notWaiting', {
      status: t(`plans.status.${plan.status}`).toLocaleLowerCase(),
    });
    return {
      confirm: { enabled: false, reason },
      decline: { enabled: false, reason },
    };
  }
  let shared = '';
  if (permission.loading) {
    shared = t('review.state.checkingPermissions');
  } else if (!permission.allowed) {
    shared = t('reviewBar.mayNotSteps');
  }
  let confirm = shared;
  if (!confirm && plan.requiresSecondApprover) {
    if (!me) {
      confirm = t('reviewBar.checkingWho');
    } else if (isSameActor(plan.audit.requestedBy, me)) {
      const level = t(`plans.risk.${plan.risk.level}`);
      confirm = t('reviewBar.secondPersonConfirm', {
        level: level.charAt(0).toLocaleUpperCase() + level.slice(1),
      });
    }
  }
  return {
    step,
    confirm: { enabled: !confirm, reason: confirm },
    decline: { enabled: !shared, reason: shared },
  };
}

/** Where a multi-step plan is: "step k of n" of the phase that runs. */
export interface StepProgress {
  phase: 'rollout' | 'rollback';
  /** 1-based number of the step running (or next to run). */
  current: number;
  total: number;
  /** The step running or waiting, if any. */
  step?: PlanStep;
  /** Share of the phase's steps that finished, 0–100. */
  percent: number;
}

const FINISHED: ReadonlyArray<PlanStep['status']> = [
  'succeeded',
  'failed',
  'skipped',
];

/** Whether any rollback step ran (or is running). */
export function rollbackRan(steps: ReadonlyArray<PlanStep>): boolean {
  return steps.some(
    s =>
      s.phase === 'rollback' &&
      s.status !== 'pending' &&
      s.status !== 'skipped',
  );
}

/** Progress of a multi-step plan; undefined for a single-step plan. */
export function stepProgress(
  plan: Pick<OperationPlan, 'steps'>,
): StepProgress | undefined {
  const all = plan.steps;
  if (!all || all.length === 0) return undefined;
  const phase = rollbackRan(all) ? 'rollback' : 'rollout';
  const steps = all.filter(s => (s.phase ?? 'rollout') === phase);
  const active = steps.findIndex(
    s => s.status === 'running' || s.status === 'waiting',
  );
  const done = steps.filter(s => FINISHED.includes(s.status)).length;
  const total = steps.length;
  return {
    phase,
    current: active >= 0 ? active + 1 : Math.min(done + 1, total),
    total,
    step: active >= 0 ? steps[active] : undefined,
    percent: total ? Math.round((done / total) * 100) : 100,
  };
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
