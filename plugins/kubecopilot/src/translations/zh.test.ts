import { kubecopilotTranslationRef } from '../translation';
import zh from './zh';

function englishKeys(): string[] {
  // The ref's flattened English messages, as the translation API reads them.
  const messages = (
    kubecopilotTranslationRef as unknown as {
      getDefaultMessages(): Record<string, string>;
    }
  ).getDefaultMessages();
  return Object.keys(messages);
}

/** `a_one` and `a_other` are one message in a language without plurals. */
function pluralBase(key: string): string {
  return key.replace(/_(zero|one|two|few|many|other)$/, '');
}

describe('the zh-CN translation', () => {
  const translated: Record<string, string | null> = zh;

  it('translates every English message', () => {
    const missing = englishKeys().filter(
      key => !translated[key] && !translated[`${pluralBase(key)}_other`],
    );
    expect(missing).toEqual([]);
  });

  it('has no message the English ref lacks', () => {
    const known = new Set(englishKeys());
    expect(Object.keys(translated).filter(key => !known.has(key))).toEqual([]);
  });

  it('keeps every {{placeholder}} of the English message', () => {
    const english = (
      kubecopilotTranslationRef as unknown as {
        getDefaultMessages(): Record<string, string>;
      }
    ).getDefaultMessages();
    const placeholders = (text: string) =>
      (text.match(/\{\{\s*(\w+)\s*\}\}/g) ?? [])
        .map(p => p.replace(/[{}\s]/g, ''))
        .filter(p => p !== 'count')
        .sort();
    const broken = Object.entries(translated)
      .filter(([key, text]) => text && english[key])
      .filter(
        ([key, text]) =>
          placeholders(text!).join() !== placeholders(english[key]).join(),
      )
      .map(([key]) => key);
    expect(broken).toEqual([]);
  });
});
