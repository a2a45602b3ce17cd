import { InputError } from '@backstage/errors';
import {
  parseCreateDiagnosisRequest,
  parseListDiagnosesQuery,
} from './parseDiagnosisRequests';

describe('diagnosis request parsers', () => {
  it('accepts an entity ref with or without a target, normalizing the ref', () => {
    expect(
      parseCreateDiagnosisRequest({ entityRef: 'Component:checkout' }),
    ).toEqual({
      entityRef: 'component:default/checkout',
    });
    expect(
      parseCreateDiagnosisRequest({
        entityRef: 'component:default/checkout',
        target: {
          cluster: 'prod-eu',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'checkout',
        },
      }),
    ).toEqual({
      entityRef: 'component:default/checkout',
      target: {
        cluster: 'prod-eu',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'checkout',
      },
    });
    expect(
      parseCreateDiagnosisRequest({
        entityRef: 'component:default/checkout',
        target: { kind: 'Pod', name: 'checkout-5d9-abc' },
      }).target,
    ).toEqual({ kind: 'Pod', name: 'checkout-5d9-abc' });
  });

  it.each([
    ['no body', undefined, /entityRef is required/],
    ['a malformed entity ref', { entityRef: 'checkout' }, /Invalid entityRef/],
    [
      'an oversized entity ref',
      { entityRef: `component:default/${'x'.repeat(600)}` },
      /entityRef/,
    ],
    [
      'a target without a kind',
      { entityRef: 'component:default/c', target: { name: 'c' } },
      /target.kind/,
    ],
    [
      'a target without a name',
      { entityRef: 'component:default/c', target: { kind: 'Pod' } },
      /target.name/,
    ],
    [
      'a path in a name',
      {
        entityRef: 'component:default/c',
        target: { kind: 'Pod', name: '../secrets/x' },
      },
      /target.name: malformed name/,
    ],
    [
      'a malformed kind',
      {
        entityRef: 'component:default/c',
        target: { kind: 'pods/log', name: 'x' },
      },
      /target.kind: malformed kind/,
    ],
    [
      'extra fields',
      { entityRef: 'component:default/c', execute: true },
      /execute/,
    ],
    [
      'extra target fields',
      {
        entityRef: 'component:default/c',
        target: { kind: 'Pod', name: 'x', container: 'app' },
      },
      /container/,
    ],
  ])('rejects %s with an InputError', (_name, body, message) => {
    expect(() => parseCreateDiagnosisRequest(body)).toThrow(InputError);
    expect(() => parseCreateDiagnosisRequest(body)).toThrow(message);
  });

  it('parses the list query with a bounded limit', () => {
    expect(
      parseListDiagnosesQuery({ entityRef: 'component:checkout' }),
    ).toEqual({
      entityRef: 'component:default/checkout',
      limit: 10,
    });
    expect(
      parseListDiagnosesQuery({
        entityRef: 'component:default/checkout',
        limit: '50',
      }).limit,
    ).toBe(50);
    for (const query of [
      {},
      { entityRef: 'component:default/c', limit: '0' },
      { entityRef: 'component:default/c', limit: '51' },
      { entityRef: 'nope' },
    ]) {
      expect(() => parseListDiagnosesQuery(query)).toThrow(InputError);
    }
  });
});
