import { formatAge, formatTarget, formatUser } from './format';

describe('formatAge', () => {
  const now = Date.parse('2026-11-26T12:00:00.000Z');

  it.each([
    ['2026-11-26T11:59:30.000Z', 'just now'],
    ['2026-11-26T11:55:00.000Z', '5 minutes ago'],
    ['2026-11-26T09:00:00.000Z', '3 hours ago'],
    ['2026-11-25T12:00:00.000Z', 'yesterday'],
    ['2026-11-20T12:00:00.000Z', '6 days ago'],
  ])('%s is %s', (iso, expected) => {
    expect(formatAge(iso, now)).toBe(expected);
  });

  it('leaves an unparseable timestamp as it is', () => {
    expect(formatAge('not a date', now)).toBe('not a date');
  });
});

describe('formatTarget', () => {
  it('names kind, namespace and name', () => {
    expect(
      formatTarget({
        cluster: 'demo',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'checkout',
      }),
    ).toBe('Deployment shop/checkout');
    expect(
      formatTarget({ cluster: 'demo', kind: 'Node', name: 'node-1' }),
    ).toBe('Node node-1');
  });
});

describe('formatUser', () => {
  it('shortens user refs in the default namespace', () => {
    expect(formatUser('user:default/guest')).toBe('guest');
    expect(formatUser('user:ops/jane')).toBe('ops/jane');
  });

  it('keeps refs that are not users', () => {
    expect(formatUser('component:default/checkout')).toBe(
      'component:default/checkout',
    );
  });
});
