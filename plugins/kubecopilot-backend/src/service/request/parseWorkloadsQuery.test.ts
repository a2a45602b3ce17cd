import { InputError } from '@backstage/errors';
import { parseWorkloadsQuery } from './parseWorkloadsQuery';

describe('parseWorkloadsQuery', () => {
  it('parses a full entity ref, defaulting the namespace', () => {
    expect(
      parseWorkloadsQuery({ entityRef: 'component:default/checkout' }),
    ).toEqual({
      entityRef: { kind: 'component', namespace: 'default', name: 'checkout' },
      relations: false,
    });
    expect(parseWorkloadsQuery({ entityRef: 'Component:checkout' })).toEqual({
      entityRef: { kind: 'Component', namespace: 'default', name: 'checkout' },
      relations: false,
    });
  });

  it('asks for ConfigMaps, Secrets and Ingresses only with relations=true', () => {
    expect(
      parseWorkloadsQuery({
        entityRef: 'component:default/checkout',
        relations: 'true',
      }).relations,
    ).toBe(true);
    expect(
      parseWorkloadsQuery({
        entityRef: 'component:default/checkout',
        relations: 'false',
      }).relations,
    ).toBe(false);
  });

  it.each([
    [{}, /entityRef is required/],
    [{ entityRef: '' }, /entityRef/],
    [{ entityRef: ['a:b/c', 'a:b/d'] }, /entityRef/],
    [{ entityRef: 'checkout' }, /Invalid entityRef 'checkout'.*kind/],
    [{ entityRef: 'component:default/' }, /Invalid entityRef/],
    [
      { entityRef: 'component:default/checkout', relations: 'yes' },
      /relations/,
    ],
  ])('rejects %j', (query, message) => {
    expect(() => parseWorkloadsQuery(query)).toThrow(InputError);
    expect(() => parseWorkloadsQuery(query)).toThrow(message);
  });
});
