import {
  describeBlueGreenIntent,
  parseBlueGreenIntent,
} from './parseBlueGreenIntent';

describe('parseBlueGreenIntent', () => {
  it('reads the prompt bar words', () => {
    expect(parseBlueGreenIntent('blue-green checkout to image 2.4.0')).toEqual({
      target: { name: 'checkout' },
      image: '2.4.0',
    });
    expect(
      parseBlueGreenIntent(
        'blue-green checkout to image 2.4.0, switch after error rate < 1% for 5m',
      ),
    ).toEqual({
      target: { name: 'checkout' },
      image: '2.4.0',
      maxErrorRate: 0.01,
      analysis: { intervalSeconds: 30, samples: 10 },
    });
  });

  it('reads latency, bake time and a confirmation', () => {
    expect(
      parseBlueGreenIntent(
        'Blue green deploy Checkout with ghcr.io/shop/checkout:2.4.0; p99 under 500 ms, bake 10m, confirm the switch',
      ),
    ).toEqual({
      target: { name: 'checkout' },
      image: 'ghcr.io/shop/checkout:2.4.0',
      maxP99LatencyMs: 500,
      bakeSeconds: 600,
      confirmSwitch: true,
    });
  });

  it('leaves other words alone', () => {
    expect(
      parseBlueGreenIntent('canary checkout to v2 at 10%'),
    ).toBeUndefined();
    expect(parseBlueGreenIntent('restart checkout')).toBeUndefined();
  });

  it('says what it understood', () => {
    expect(
      describeBlueGreenIntent(
        parseBlueGreenIntent(
          'blue-green checkout to 2.4.0 if error rate > 1%',
        )!,
      ),
    ).toBe(
      'blue-green of Deployment checkout to 2.4.0: green runs beside it, then the Service switches all traffic at once after green holds error rate ≤ 1%',
    );
  });
});
