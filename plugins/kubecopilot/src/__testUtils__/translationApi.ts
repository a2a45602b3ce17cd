import {
  TranslationApi,
  TranslationRef,
  TranslationSnapshot,
} from '@backstage/frontend-plugin-api';
import { createInstance } from 'i18next';
import { KubecopilotT, kubecopilotTranslationRef } from '../translation';

type Messages = Record<string, string | null>;

function defaultMessagesOf(ref: TranslationRef): Messages {
  // The ref's English messages, flattened; what Backstage's own
  // translation API registers as the fallback language.
  return (
    ref as unknown as { getDefaultMessages(): Messages }
  ).getDefaultMessages();
}

function withoutNulls(messages: Messages): Record<string, string> {
  return Object.fromEntries(
    Object.entries(messages).filter(
      (entry): entry is [string, string] => entry[1] !== null,
    ),
  );
}

/**
 * A translation API showing the UI in `language`, set up as the app's
 * i18next-based one is (English fallback, no escaping, plural rules of the
 * language), with the plugin's own translation resource for that language.
 * For component tests of the Chinese UI.
 */
export async function translationApiFor(
  language: 'en' | 'zh-CN',
): Promise<TranslationApi> {
  const translated: Messages =
    language === 'en' ? {} : (await import('../translations/zh')).default;
  const i18n = createInstance({
    lng: language,
    fallbackLng: 'en',
    supportedLngs: ['en', language],
    interpolation: { escapeValue: false },
    ns: [],
    defaultNS: false,
    fallbackNS: false,
    initImmediate: false,
  });
  i18n.init();
  const id = kubecopilotTranslationRef.id;
  i18n.addResourceBundle(
    'en',
    id,
    withoutNulls(defaultMessagesOf(kubecopilotTranslationRef)),
  );
  if (language !== 'en') {
    i18n.addResourceBundle(language, id, withoutNulls(translated));
  }
  return {
    getTranslation<TMessages extends { [key in string]: string }>(
      ref: TranslationRef<string, TMessages>,
    ): TranslationSnapshot<TMessages> {
      if (ref.id !== id) {
        i18n.addResourceBundle(
          'en',
          ref.id,
          withoutNulls(defaultMessagesOf(ref)),
          true,
          false,
        );
      }
      return {
        ready: true,
        t: i18n.getFixedT(null, ref.id) as any,
      };
    },
    translation$() {
      // The language never changes in a test.
      return {
        subscribe: () => ({ closed: false, unsubscribe: () => {} }),
      } as any;
    },
  };
}

/** The plugin's `t` in `language`, for tests of text-formatting helpers. */
export async function tFor(language: 'en' | 'zh-CN'): Promise<KubecopilotT> {
  const api = await translationApiFor(language);
  return api.getTranslation(kubecopilotTranslationRef).t;
}
