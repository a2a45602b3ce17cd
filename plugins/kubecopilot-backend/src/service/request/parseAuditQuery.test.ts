import { InputError } from '@backstage/errors';
import { encodeAuditCursor } from '../../audit/cursor';
import { parseAuditQuery } from './parseAuditQuery';

describe('parseAuditQuery', () => {
  it('defaults the page size', () => {
    expect(parseAuditQuery({})).toEqual({ limit: 200 });
  });

  it('parses every filter and a cursor, normalizing the entity ref', () => {
    const cursor = encodeAuditCursor(42);
    expect(
      parseAuditQuery({
        planId: 'p1',
        entityRef: 'component:checkout',
        cursor,
        limit: '50',
      }),
    ).toEqual({
      planId: 'p1',
      entityRef: 'component:default/checkout',
      cursor,
      limit: 50,
    });
  });

  it.each([
    [{ limit: '0' }, /limit/],
    [{ limit: '1001' }, /limit/],
    [{ entityRef: 'checkout' }, /Invalid entityRef/],
    [{ planId: ['a', 'b'] }, /planId/],
    [{ cursor: 'not-a-cursor' }, /Invalid cursor/],
    [
      { cursor: Buffer.from('{"id":"7"}').toString('base64url') },
      /Invalid cursor/,
    ],
    [
      { cursor: Buffer.from('{"id":0}').toString('base64url') },
      /Invalid cursor/,
    ],
    [{ cursor: 'x'.repeat(513) }, /cursor/],
  ])('rejects %j', (query, message) => {
    expect(() => parseAuditQuery(query)).toThrow(InputError);
    expect(() => parseAuditQuery(query)).toThrow(message);
  });
});
