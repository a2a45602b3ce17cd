import { plan } from '../../__testUtils__/fixtures';
import { describeParams } from './PlanDetails';
import { describeRevert } from './RevertConfirm';
import { KubecopilotT } from '../../translation';
import { tFor } from '../../__testUtils__/translationApi';

let t: KubecopilotT;
beforeAll(async () => {
  t = await tFor('en');
});

describe('describeParams', () => {
  it('reads a canary as its rollout', () => {
    expect(
      describeParams(
        {
          ...plan({ id: 'c' }),
          action: 'canary',
          params: {
            image: 'acme/checkout:2.4.0',
            previousImage: 'acme/checkout:2.3.1',
            steps: [10, 50, 100],
            maxErrorRate: 0.01,
            maxP99LatencyMs: 500,
            confirmPromotion: true,
          },
        },
        t,
      ),
    ).toBe(
      ': acme/checkout:2.3.1 → acme/checkout:2.4.0 at 10% → 50% → 100%, rolling back if error rate > 1% or p99 > 500 ms, with a confirmation before promotion',
    );
  });

  it('says when a canary has no gate', () => {
    expect(
      describeParams(
        {
          ...plan({ id: 'c' }),
          action: 'canary',
          params: { image: 'b', previousImage: 'a', steps: [50] },
        },
        t,
      ),
    ).toBe(': a → b at 50%, with no metric gate');
  });

  it('lists the parameters of other actions', () => {
    expect(
      describeParams({ ...plan({ id: 's' }), params: { replicas: 5 } }, t),
    ).toBe(' with replicas=5');
    expect(describeParams({ ...plan({ id: 's' }), params: {} }, t)).toBe('');
  });

  it('reads a rollback as the images it swaps, never the stored templates', () => {
    const template = (image: string) => ({
      metadata: { labels: { app: 'checkout' } },
      spec: { containers: [{ name: 'checkout', image, env: [] }] },
    });
    const rollback = {
      ...plan({ id: 'r' }),
      action: 'rollback' as const,
      params: {
        toRevision: 1,
        template: template('acme/checkout:2.2.0'),
        previousTemplate: template('acme/checkout:2.3.1'),
      },
    };
    expect(describeParams(rollback, t)).toBe(
      ' to revision 1: acme/checkout:2.3.1 → acme/checkout:2.2.0',
    );
    const { toRevision: _r, ...revert } = rollback.params;
    expect(describeParams({ ...rollback, params: revert }, t)).toBe(
      ' to the pod template it had before: acme/checkout:2.3.1 → acme/checkout:2.2.0',
    );
    expect(describeRevert(rollback, t)).toMatch(
      /puts the pod template .*checkout.* had before the rollback back in place/,
    );
  });
});
