import { InputError } from '@backstage/errors';
import { parseListPlansQuery } from './parseListPlansQuery';

describe('parseListPlansQuery', () => {
  it('defaults the page size', () => {
    expect(parseListPlansQuery({})).toEqual({ limit: 20 });
  });

  it('parses every filter, normalizing the entity ref', () => {
    expect(
      parseListPlansQuery({
        status: 'pending',
        entityRef: 'component:checkout',
        cursor: 'abc',
        limit: '50',
      }),
    ).toEqual({
      status: 'pending',
      entityRef: 'component:default/checkout',
      cursor: 'abc',
      limit: 50,
    });
  });

  it.each([
    [{ status: 'approved' }, /status/],
    [{ limit: '0' }, /limit/],
    [{ limit: '101' }, /limit/],
    [{ limit: 'ten' }, /limit/],
    [{ entityRef: 'checkout' }, /Invalid entityRef/],
    [{ status: ['pending', 'executed'] }, /status/],
  ])('rejects %j', (query, message) => {
    expect(() => parseListPlansQuery(query)).toThrow(InputError);
    expect(() => parseListPlansQuery(query)).toThrow(message);
  });
});
