import { createTranslationResource } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../translation';

/**
 * The translations of {@link kubecopilotTranslationRef}, loaded on demand when
 * the user picks the language. Registered with apps on the new frontend
 * system by the plugin's `translation:kubecopilot/translations` extension; an
 * app on the legacy system passes it to `createApp({ __experimentalTranslations:
 * { resources: [kubecopilotTranslations] } })`.
 *
 * @public
 */
export const kubecopilotTranslations = createTranslationResource({
  ref: kubecopilotTranslationRef,
  translations: {
    'zh-CN': () => import('./zh'),
  },
});
