import { InputError } from '@backstage/errors';
import {
  parseApproveRequest,
  parseCreatePlanRequest,
  parseIdempotencyKey,
  parsePlanId,
  parseRejectRequest,
} from './parsePlanRequests';

describe('plan request parsers', () => {
  it('accepts an intent or a structured action and normalizes the entity ref', () => {
    expect(
      parseCreatePlanRequest({
        entityRef: 'Component:default/Checkout',
        intent: ' restart checkout ',
      }),
    ).toEqual({
      entityRef: 'component:default/checkout',
      intent: 'restart checkout',
    });
    expect(
      parseCreatePlanRequest({
        entityRef: 'component:default/checkout',
        action: 'scale',
        resource: { kind: 'Deployment', name: 'checkout' },
        params: { replicas: 3 },
      }),
    ).toEqual({
      entityRef: 'component:default/checkout',
      action: 'scale',
      resource: { kind: 'Deployment', name: 'checkout' },
      params: { replicas: 3 },
    });
  });

  it.each([
    ['no body', undefined],
    ['an empty intent', { entityRef: 'component:default/c', intent: '  ' }],
    [
      'an oversized intent',
      { entityRef: 'component:default/c', intent: 'x'.repeat(501) },
    ],
    ['a malformed entity ref', { entityRef: 'nope:', intent: 'restart c' }],
    [
      'an unknown action',
      {
        entityRef: 'component:default/c',
        action: 'exec',
        resource: { name: 'c' },
      },
    ],
    [
      'extra fields',
      { entityRef: 'component:default/c', intent: 'restart c', execute: true },
    ],
  ])('rejects %s with a 400', (_name, body) => {
    expect(() => parseCreatePlanRequest(body)).toThrow(InputError);
  });

  it('requires a reason to reject and bounds comments', () => {
    expect(parseRejectRequest({ comment: 'not during the sale' })).toEqual({
      comment: 'not during the sale',
    });
    expect(() => parseRejectRequest({})).toThrow(/comment is required/);
    expect(() => parseApproveRequest({ comment: 'x'.repeat(2001) })).toThrow(
      InputError,
    );
    expect(parseApproveRequest(undefined)).toEqual({});
  });

  it('validates ids and idempotency keys', () => {
    expect(parsePlanId('5f0f7b8e-1d5a-4a43-9a8e-0b1f3f1d2c11')).toBe(
      '5f0f7b8e-1d5a-4a43-9a8e-0b1f3f1d2c11',
    );
    expect(() => parsePlanId('../etc')).toThrow(InputError);
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('abc-123')).toBe('abc-123');
    expect(() => parseIdempotencyKey('has space')).toThrow(InputError);
  });
});
