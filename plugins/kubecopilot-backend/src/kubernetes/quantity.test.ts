import { bytesQuantity, formatBytes, parseQuantity } from './quantity';

describe('Kubernetes quantities', () => {
  it.each([
    ['256Mi', 256 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['200M', 200e6],
    ['128974848', 128974848],
    ['129e6', 129e6],
    ['500m', 0.5],
    ['2', 2],
    ['.5', 0.5],
    [3, 3],
  ])('%s is %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 6);
  });

  it.each(['', 'Mi', '12Q', '1.2.3Mi', 'lots', null, undefined, {}])(
    '%p is not a quantity',
    text => expect(parseQuantity(text)).toBeUndefined(),
  );

  it('writes bytes for people and for manifests', () => {
    expect(formatBytes(310 * 2 ** 20)).toBe('310 MiB');
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1.5 GiB');
    expect(bytesQuantity(262.5 * 2 ** 20)).toBe('288Mi');
    expect(bytesQuantity(1000 * 2 ** 20)).toBe('1Gi');
    expect(bytesQuantity(6 * 2 ** 30)).toBe('6Gi');
  });
});
