import { createTranslationResource } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../translation';

/**
 * The translations of {@link kubecopilotTranslationRef}, loaded on demand when
 * the user picks the language. The ref brings them to every app by itself;
 * this resource is for an app that registers translations explicitly (the
 * legacy system's `createApp({ __experimentalTranslations: { resources } })`,
 * or a `TranslationBlueprint` in the app's own module — the app's
 * translations input accepts only the app's extensions).
 *
 * @public
 */
export const kubecopilotTranslations = createTranslationResource({
  ref: kubecopilotTranslationRef,
  translations: {
    'zh-CN': () => import('./zh'),
  },
});
