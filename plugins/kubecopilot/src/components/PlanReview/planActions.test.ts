import { PlanStep } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { plan } from '../../__testUtils__/fixtures';
import {
  promotionActions,
  rollbackRan,
  stepProgress,
  waitingApproval,
} from './planActions';
import { KubecopilotT } from '../../translation';
import { tFor } from '../../__testUtils__/translationApi';

let t: KubecopilotT;
beforeAll(async () => {
  t = await tFor('en');
});

const step = (
  id: string,
  status: PlanStep['status'],
  overrides: Partial<PlanStep> = {},
): PlanStep => ({
  id,
  type: 'action',
  title: id,
  phase: 'rollout',
  status,
  ...overrides,
});

const pausedPlan = (overrides: Parameters<typeof plan>[0] = {}) =>
  plan({
    status: 'paused',
    action: 'canary',
    steps: [
      step('create-canary', 'succeeded'),
      step('gate', 'succeeded', { type: 'gate' }),
      step('confirm-promotion', 'waiting', { type: 'approval' }),
      step('promote', 'pending'),
      step('rollback', 'pending', { phase: 'rollback' }),
    ],
    ...overrides,
  });

const allowed = { loading: false, allowed: true };

describe('waitingApproval', () => {
  it('finds the approval step a paused plan waits at', () => {
    expect(waitingApproval(pausedPlan())?.id).toBe('confirm-promotion');
  });

  it('finds none when the plan is not paused or has no steps', () => {
    expect(
      waitingApproval(pausedPlan({ status: 'executing' })),
    ).toBeUndefined();
    expect(waitingApproval(plan({ status: 'paused' }))).toBeUndefined();
  });
});

describe('promotionActions', () => {
  const requester = 'user:default/guest';
  const other = 'user:default/reviewer';
  const secondApprover = {
    requiresSecondApprover: true,
    risk: { level: 'high' as const, rationale: 'x', reasons: [] },
  };

  it('enables both for another user allowed to approve', () => {
    const actions = promotionActions(pausedPlan(), other, allowed, t);
    expect(actions.step?.id).toBe('confirm-promotion');
    expect(actions.confirm).toEqual({ enabled: true, reason: '' });
    expect(actions.decline).toEqual({ enabled: true, reason: '' });
  });

  it('lets the requester confirm when no second person is needed', () => {
    expect(
      promotionActions(pausedPlan(), requester, allowed, t).confirm.enabled,
    ).toBe(true);
  });

  it('keeps the requester of a second-approver plan from confirming, not from declining', () => {
    const actions = promotionActions(
      pausedPlan(secondApprover),
      'User:Default/Guest',
      allowed,
      t,
    );
    expect(actions.confirm).toEqual({
      enabled: false,
      reason:
        'High-risk plans need a second person: you requested this one, so someone else must confirm its promotion',
    });
    expect(actions.decline.enabled).toBe(true);
    expect(
      promotionActions(pausedPlan(secondApprover), other, allowed, t).confirm
        .enabled,
    ).toBe(true);
  });

  it('waits to know who the user is before enabling confirm on a second-approver plan', () => {
    expect(
      promotionActions(pausedPlan(secondApprover), undefined, allowed, t)
        .confirm,
    ).toEqual({ enabled: false, reason: 'Checking who you are…' });
  });

  it.each([
    [{ loading: true, allowed: false }, 'Checking your permissions…'],
    [
      { loading: false, allowed: false },
      'You may not confirm or decline steps of this plan',
    ],
  ])('needs the approve permission (%j)', (permission, reason) => {
    const actions = promotionActions(pausedPlan(), other, permission, t);
    expect(actions.confirm).toEqual({ enabled: false, reason });
    expect(actions.decline).toEqual({ enabled: false, reason });
  });

  it('offers nothing when the plan does not wait', () => {
    const actions = promotionActions(
      pausedPlan({ status: 'executing' }),
      other,
      allowed,
      t,
    );
    expect(actions.step).toBeUndefined();
    expect(actions.confirm.enabled).toBe(false);
    expect(actions.confirm.reason).toBe(
      'A plan that is executing does not wait for anyone to confirm promotion',
    );
    expect(actions.decline.enabled).toBe(false);
  });
});

describe('stepProgress', () => {
  it('is undefined for a single-step plan', () => {
    expect(stepProgress(plan())).toBeUndefined();
  });

  it('counts the rollout steps and names the one running', () => {
    const progress = stepProgress(
      plan({
        steps: [
          step('a', 'succeeded'),
          step('b', 'running'),
          step('c', 'pending'),
          step('d', 'pending'),
          step('r', 'pending', { phase: 'rollback' }),
        ],
      }),
    );
    expect(progress).toMatchObject({
      phase: 'rollout',
      current: 2,
      total: 4,
      percent: 25,
    });
    expect(progress?.step?.id).toBe('b');
  });

  it('says the next step between two steps, and the last when all are done', () => {
    expect(
      stepProgress(
        plan({ steps: [step('a', 'succeeded'), step('b', 'pending')] }),
      ),
    ).toMatchObject({ current: 2, total: 2, step: undefined });
    expect(
      stepProgress(
        plan({ steps: [step('a', 'succeeded'), step('b', 'succeeded')] }),
      ),
    ).toMatchObject({ current: 2, total: 2, percent: 100 });
  });

  it('follows the rollback once it runs', () => {
    const steps = [
      step('a', 'succeeded'),
      step('gate', 'failed', { type: 'gate' }),
      step('b', 'skipped'),
      step('r1', 'succeeded', { phase: 'rollback' }),
      step('r2', 'running', { phase: 'rollback' }),
    ];
    expect(rollbackRan(steps)).toBe(true);
    expect(stepProgress(plan({ steps }))).toMatchObject({
      phase: 'rollback',
      current: 2,
      total: 2,
    });
  });

  it('does not count skipped or pending rollback steps as ran', () => {
    expect(
      rollbackRan([
        step('r1', 'pending', { phase: 'rollback' }),
        step('r2', 'skipped', { phase: 'rollback' }),
      ]),
    ).toBe(false);
  });
});
