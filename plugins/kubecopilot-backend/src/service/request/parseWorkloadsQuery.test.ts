import { InputError } from '@backstage/errors';
import { parseWorkloadsQuery } from './parseWorkloadsQuery';

describe('parseWorkloadsQuery', () => {
  it('parses a full entity ref, defaulting the namespace', () => {
    expect(
      parseWorkloadsQuery({ entityRef: 'component:default/checkout' }),
    ).toEqual({
      entityRef: { kind: 'component', namespace: 'default', name: 'checkout' },
    });
    expect(parseWorkloadsQuery({ entityRef: 'Component:checkout' })).toEqual({
      entityRef: { kind: 'Component', namespace: 'default', name: 'checkout' },
    });
  });

  it.each([
    [{}, /entityRef is required/],
    [{ entityRef: '' }, /entityRef/],
    [{ entityRef: ['a:b/c', 'a:b/d'] }, /entityRef/],
    [{ entityRef: 'checkout' }, /Invalid entityRef 'checkout'.*kind/],
    [{ entityRef: 'component:default/' }, /Invalid entityRef/],
  ])('rejects %j', (query, message) => {
    expect(() => parseWorkloadsQuery(query)).toThrow(InputError);
    expect(() => parseWorkloadsQuery(query)).toThrow(message);
  });
});
