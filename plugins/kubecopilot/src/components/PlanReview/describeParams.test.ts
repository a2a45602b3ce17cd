import { plan } from '../../testUtils/fixtures';
import { describeParams } from './PlanReview';

describe('describeParams', () => {
  it('reads a canary as its rollout', () => {
    expect(
      describeParams({
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
      }),
    ).toBe(
      ': acme/checkout:2.3.1 → acme/checkout:2.4.0 at 10% → 50% → 100%, rolling back if error rate > 1% or p99 > 500 ms, with a confirmation before promotion',
    );
  });

  it('says when a canary has no gate', () => {
    expect(
      describeParams({
        ...plan({ id: 'c' }),
        action: 'canary',
        params: { image: 'b', previousImage: 'a', steps: [50] },
      }),
    ).toBe(': a → b at 50%, with no metric gate');
  });

  it('lists the parameters of other actions', () => {
    expect(describeParams({ ...plan({ id: 's' }), params: { replicas: 5 } })).toBe(
      ' with replicas=5',
    );
    expect(describeParams({ ...plan({ id: 's' }), params: {} })).toBe('');
  });
});
