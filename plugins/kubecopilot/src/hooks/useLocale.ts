import {
  appLanguageApiRef,
  useApiHolder,
} from '@backstage/frontend-plugin-api';

/**
 * The language the user picked (`en`, `zh-CN`), for `Intl` formatting of
 * dates and numbers; English where the app has no language API.
 */
export function useLocale(): string {
  const languageApi = useApiHolder().get(appLanguageApiRef);
  return languageApi?.getLanguage().language ?? 'en';
}
