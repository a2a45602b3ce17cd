import { parseRetryAfter, ReadRetryPolicy, retryDelayMs } from './retry';

const policy: ReadRetryPolicy = {
  retries: 3,
  baseDelayMs: 100,
  maxDelayMs: 300,
  maxRetryAfterMs: 5_000,
};

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-26T02:00:00.000Z');

  it.each([
    [null, undefined],
    ['', undefined],
    ['2', 2_000],
    [' 0 ', 0],
    ['Thu, 26 Nov 2026 02:00:03 GMT', 3_000],
    ['Thu, 26 Nov 2026 01:00:00 GMT', 0],
    ['soon', undefined],
  ])('reads %j as %j ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('retryDelayMs', () => {
  it('backs off exponentially up to the cap, with full jitter', () => {
    const top = () => 1;
    expect([0, 1, 2].map(a => retryDelayMs(a, policy, undefined, top))).toEqual(
      [100, 200, 300],
    );
    expect(retryDelayMs(2, policy, undefined, () => 0.5)).toBe(150);
    expect(retryDelayMs(0, policy, undefined, () => 0)).toBe(0);
  });

  it('stops after the last retry', () => {
    expect(retryDelayMs(3, policy, undefined, () => 1)).toBeUndefined();
    expect(retryDelayMs(3, policy, 10)).toBeUndefined();
  });

  it('waits as long as Retry-After says, unless that is too long', () => {
    expect(retryDelayMs(0, policy, 4_000)).toBe(4_000);
    expect(retryDelayMs(0, policy, 5_001)).toBeUndefined();
  });
});
