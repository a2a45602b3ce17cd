import { ConflictError } from '@backstage/errors';
import { PlanStatus } from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** Every way a plan's status can change. */
export type PlanTransition =
  | 'approve'
  | 'reject'
  | 'expire'
  | 'start-execution'
  | 'succeed'
  | 'fail'
  | 'revert'
  | 'pause'
  | 'resume';

/**
 * The plan state machine. `executing` marks the window in which the single
 * write is in flight, so a backend that crashed there can reconcile the plan
 * by re-reading the object instead of writing again. A multi-step plan stays
 * `executing` while its steps run and is `paused` at an approval step.
 */
const TRANSITIONS: Record<
  PlanTransition,
  { from: PlanStatus[]; to: PlanStatus }
> = {
  approve: { from: ['pending'], to: 'confirmed' },
  reject: { from: ['pending'], to: 'rejected' },
  expire: { from: ['pending'], to: 'expired' },
  'start-execution': { from: ['confirmed'], to: 'executing' },
  succeed: { from: ['executing'], to: 'executed' },
  // A drift found before the write fails a confirmed plan directly; a
  // multi-step plan declined at an approval step fails from `paused`.
  fail: { from: ['confirmed', 'executing', 'paused'], to: 'failed' },
  revert: { from: ['executed'], to: 'reverted' },
  // Multi-step plans wait at approval steps ("confirm promotion").
  pause: { from: ['executing'], to: 'paused' },
  resume: { from: ['paused'], to: 'executing' },
};

/** The status a transition leads to, or a 409 naming what is allowed. */
export function nextStatus(
  current: PlanStatus,
  transition: PlanTransition,
): PlanStatus {
  const rule = TRANSITIONS[transition];
  if (!rule.from.includes(current)) {
    throw new ConflictError(
      `cannot ${transition.replace(
        '-',
        ' ',
      )} a plan that is ${current}; only a plan that is ${rule.from.join(
        ' or ',
      )} can be`,
    );
  }
  return rule.to;
}

/** Whether a transition is possible now (for the UI's enabled buttons). */
export function canTransition(current: PlanStatus, transition: PlanTransition) {
  return TRANSITIONS[transition].from.includes(current);
}

export const TERMINAL_STATUSES: PlanStatus[] = [
  'failed',
  'reverted',
  'rejected',
  'expired',
];
