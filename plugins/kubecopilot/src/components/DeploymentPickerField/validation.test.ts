import { translationApiRef } from '@backstage/frontend-plugin-api';
import { TestApiRegistry } from '@backstage/test-utils';
import { translationApiFor } from '../../__testUtils__/translationApi';
import { deploymentPickerValidation, isValidObjectName } from './validation';

async function errorsFor(
  value: string | undefined,
  language?: 'en' | 'zh-CN',
): Promise<string[]> {
  const errors: string[] = [];
  const apiHolder = language
    ? TestApiRegistry.from([
        translationApiRef,
        await translationApiFor(language),
      ])
    : TestApiRegistry.from();
  await deploymentPickerValidation(
    value,
    { addError: (e: string) => errors.push(e) } as any,
    { apiHolder, formData: {}, schema: {} },
  );
  return errors;
}

describe('isValidObjectName', () => {
  it.each(['checkout', 'checkout-v2', 'a', 'web.shop', '0ab', 'a'.repeat(253)])(
    'takes %s',
    name => expect(isValidObjectName(name)).toBe(true),
  );

  it.each([
    '',
    'Checkout',
    'checkout_v2',
    '-checkout',
    'checkout-',
    'shop/checkout',
    'check out',
    'web..shop',
    'a'.repeat(254),
  ])('refuses %p', name => expect(isValidObjectName(name)).toBe(false));
});

describe('deploymentPickerValidation', () => {
  it('passes a valid name and leaves an empty one to `required`', async () => {
    expect(await errorsFor('checkout', 'en')).toEqual([]);
    expect(await errorsFor(undefined, 'en')).toEqual([]);
  });

  it('says what a Kubernetes name may hold, in the user’s language', async () => {
    expect(await errorsFor('Checkout Service', 'en')).toEqual([
      'Not a valid Kubernetes object name: lowercase letters, digits, "-" and "." only, starting and ending with a letter or digit, at most 253 characters.',
    ]);
    expect(await errorsFor('Checkout Service', 'zh-CN')).toEqual([
      '不是有效的 Kubernetes 对象名称：只能包含小写字母、数字、“-”和“.”，以字母或数字开头和结尾，最多 253 个字符。',
    ]);
  });

  it('says it in English without a translation API', async () => {
    expect(await errorsFor('shop/checkout')).toEqual([
      expect.stringMatching(/^Not a valid Kubernetes object name/),
    ]);
  });
});
