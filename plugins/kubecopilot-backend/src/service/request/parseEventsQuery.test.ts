import { InputError } from '@backstage/errors';
import { parseEventsQuery } from './parseEventsQuery';

const now = new Date('2026-01-15T12:00:00Z');

describe('parseEventsQuery', () => {
  it('defaults to every event type, no time bound and 200 events', () => {
    expect(
      parseEventsQuery({ entityRef: 'component:default/checkout' }, now),
    ).toEqual({
      entityRef: { kind: 'component', namespace: 'default', name: 'checkout' },
      limit: 200,
    });
  });

  it('takes since as a time or a duration back from now, a type and a limit', () => {
    expect(
      parseEventsQuery(
        {
          entityRef: 'component:default/checkout',
          since: '6h',
          type: 'Warning',
          limit: '50',
        },
        now,
      ),
    ).toMatchObject({
      since: new Date('2026-01-15T06:00:00Z'),
      type: 'Warning',
      limit: 50,
    });
    expect(
      parseEventsQuery(
        {
          entityRef: 'component:default/checkout',
          since: '2026-01-15T11:30:00Z',
        },
        now,
      ).since,
    ).toEqual(new Date('2026-01-15T11:30:00Z'));
  });

  it.each([
    [{}, /entityRef is required/],
    [{ entityRef: 'checkout' }, /Invalid entityRef 'checkout'/],
    [
      { entityRef: 'component:checkout', type: 'Error' },
      /type must be one of Warning, Normal/,
    ],
    [
      { entityRef: 'component:checkout', limit: '1001' },
      /limit must be at most 1000/,
    ],
    [
      { entityRef: 'component:checkout', limit: '0' },
      /limit must be at least 1/,
    ],
    [{ entityRef: 'component:checkout', limit: 'all' }, /limit/],
    [
      { entityRef: 'component:checkout', since: 'yesterday' },
      /since must be an ISO-8601 time or a duration/,
    ],
  ])('refuses %j', (query, message) => {
    expect(() => parseEventsQuery(query, now)).toThrow(InputError);
    expect(() => parseEventsQuery(query, now)).toThrow(message);
  });
});
