import { ConflictError } from '@backstage/errors';
import { PlanStatus } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { canTransition, nextStatus, PlanTransition } from './lifecycle';

const statuses: PlanStatus[] = [
  'pending',
  'confirmed',
  'executing',
  'executed',
  'failed',
  'reverted',
  'rejected',
  'expired',
];
const transitions: PlanTransition[] = [
  'approve',
  'reject',
  'expire',
  'start-execution',
  'succeed',
  'fail',
  'revert',
];

// Every legal (from, transition) → to; everything else must be a 409.
const legal: Record<string, PlanStatus> = {
  'pending approve': 'confirmed',
  'pending reject': 'rejected',
  'pending expire': 'expired',
  'confirmed start-execution': 'executing',
  'confirmed fail': 'failed',
  'executing succeed': 'executed',
  'executing fail': 'failed',
  'executed revert': 'reverted',
};

describe('plan lifecycle', () => {
  const table = statuses.flatMap(s => transitions.map(t => [s, t] as const));

  const allowed = table.filter(([s, t]) => legal[`${s} ${t}`]);
  const refused = table.filter(([s, t]) => !legal[`${s} ${t}`]);

  it.each(allowed)('%s --%s--> allowed', (status, transition) => {
    expect(canTransition(status, transition)).toBe(true);
    expect(nextStatus(status, transition)).toBe(
      legal[`${status} ${transition}`],
    );
  });

  it.each(refused)('%s --%s--> 409', (status, transition) => {
    expect(canTransition(status, transition)).toBe(false);
    expect(() => nextStatus(status, transition)).toThrow(ConflictError);
  });

  it('covers every pair', () => {
    expect(allowed).toHaveLength(Object.keys(legal).length);
  });

  it('explains an illegal transition', () => {
    expect(() => nextStatus('executed', 'approve')).toThrow(
      'cannot approve a plan that is executed; only a plan that is pending can be',
    );
  });
});
