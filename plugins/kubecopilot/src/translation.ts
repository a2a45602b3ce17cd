import {
  TranslationFunction,
  createTranslationRef,
} from '@backstage/frontend-plugin-api';
import { deploymentPickerMessages } from './translations/en/deploymentPicker';
import { eventsMessages } from './translations/en/events';
import { insightMessages } from './translations/en/insight';
import { operationsMessages } from './translations/en/operations';

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
  // Loaded when the user picks the language; every app gets them with the
  // ref (an app's own translation resources still take precedence).
  translations: {
    'zh-CN': () => import('./translations/zh'),
  },
  messages: {
    ...insightMessages,
    ...operationsMessages,
    ...deploymentPickerMessages,
    ...eventsMessages,
  },
});

/**
 * The `t` of {@link kubecopilotTranslationRef}, for helpers that format
 * text outside a component.
 *
 * @public
 */
export type KubecopilotT = TranslationFunction<
  typeof kubecopilotTranslationRef.T
>;

/**
 * The message of a key known only at run time (an action or outcome the
 * backend may add later), or `fallback` when there is none.
 */
export function tOr(t: KubecopilotT, key: string, fallback: string): string {
  return (t as unknown as (k: string, o: { defaultValue: string }) => string)(
    key,
    { defaultValue: fallback },
  );
}
