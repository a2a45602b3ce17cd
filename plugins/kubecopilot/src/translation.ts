import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * Every user-facing string of the KubeCopilot frontend, in English, nested by
 * area (one top-level key per screen or feature). The zh-CN translation is in
 * `translations/zh.ts`; a new key needs its Chinese text there too.
 *
 * Interpolation is `{{name}}`; counts use i18next plural keys (`_one` /
 * `_other`) with a `count` option.
 *
 * @public
 */
export const kubecopilotTranslationRef = createTranslationRef({
  id: 'kubecopilot',
  messages: {
    pages: {
      home: 'KubeCopilot',
      inbox: 'Approval inbox',
      diagnoseTab: 'AI Diagnose',
      plansTab: 'Operation Plans',
    },
    common: {
      loading: 'Loading…',
      retry: 'Retry',
      cancel: 'Cancel',
      close: 'Close',
      refresh: 'Refresh',
    },
  },
});
