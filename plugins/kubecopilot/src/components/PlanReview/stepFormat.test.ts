import {
  describeSampling,
  describeThreshold,
  describeVerdict,
  formatDuration,
  formatGateValue,
} from './stepFormat';
import { KubecopilotT } from '../../translation';
import { tFor } from '../../__testUtils__/translationApi';

let t: KubecopilotT;
beforeAll(async () => {
  t = await tFor('en');
});

describe('formatGateValue', () => {
  it.each<[number | null, 'ratio' | 'seconds' | 'number', string]>([
    [0.01, 'ratio', '1%'],
    [0.0123, 'ratio', '1.23%'],
    [0, 'ratio', '0%'],
    [0.5, 'seconds', '500 ms'],
    [0.4567, 'seconds', '457 ms'],
    [0.0042, 'seconds', '4.2 ms'],
    [12.5, 'number', '12.5'],
    [null, 'ratio', 'no data'],
    [null, 'seconds', 'no data'],
  ])('%p as %s is %s', (value, unit, expected) => {
    expect(formatGateValue(value, unit, t)).toBe(expected);
  });
});

describe('describeThreshold', () => {
  it('says the threshold in words', () => {
    expect(
      describeThreshold(
        {
          metric: 'error rate',
          operator: '<=',
          threshold: 0.01,
          unit: 'ratio',
        },
        t,
      ),
    ).toBe('error rate ≤ 1%');
    expect(
      describeThreshold(
        {
          metric: 'p99 latency',
          operator: '<',
          threshold: 0.5,
          unit: 'seconds',
        },
        t,
      ),
    ).toBe('p99 latency < 500 ms');
    expect(
      describeThreshold(
        {
          metric: 'ready pods',
          operator: '>=',
          threshold: 3,
          unit: 'number',
        },
        t,
      ),
    ).toBe('ready pods ≥ 3');
  });
});

describe('describeSampling', () => {
  it('says how often and after how long', () => {
    expect(
      describeSampling(
        { samples: 3, intervalSeconds: 10, delaySeconds: 60 },
        t,
      ),
    ).toBe('3 samples 10 s apart, after 1 min');
    expect(
      describeSampling({ samples: 1, intervalSeconds: 10, delaySeconds: 0 }, t),
    ).toBe('1 sample');
  });
});

describe('describeVerdict', () => {
  it('has a word for pass, fail and no data', () => {
    expect([true, false, null].map(v => describeVerdict(v, t))).toEqual([
      'pass',
      'fail',
      'inconclusive',
    ]);
  });
});

describe('formatDuration', () => {
  const at = (s: number) =>
    new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  it('says how long a step took or has been running', () => {
    expect(formatDuration(at(0), at(45))).toBe('45 s');
    expect(formatDuration(at(0), at(125))).toBe('2 min 05 s');
    expect(formatDuration(at(0), undefined, Date.parse(at(30)))).toBe('30 s');
    expect(formatDuration(undefined, at(3))).toBeUndefined();
  });
});
