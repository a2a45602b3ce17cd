import { translationApiRef } from '@backstage/frontend-plugin-api';
import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { kubecopilotTranslationRef } from '../../translation';
import { deploymentPickerMessages } from '../../translations/en/deploymentPicker';

/** A DNS-1123 subdomain, the name rule of Deployments and most objects. */
const DNS_1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether `name` can name a Deployment (`metadata.name`). */
export function isValidObjectName(name: string): boolean {
  return name.length <= 253 && DNS_1123_SUBDOMAIN.test(name);
}

/**
 * The field's validation: an empty value is left to `required`; anything
 * else must be a Kubernetes object name, typed or picked.
 */
export const deploymentPickerValidation: CustomFieldValidator<
  string | undefined
> = (value, validation, context) => {
  if (!value || isValidObjectName(value)) {
    return;
  }
  // Validation runs outside React: read the message through the API holder,
  // in English until the user's language has loaded.
  const snapshot = context.apiHolder
    .get(translationApiRef)
    ?.getTranslation(kubecopilotTranslationRef);
  validation.addError(
    snapshot?.ready
      ? snapshot.t('deploymentPicker.invalidName')
      : deploymentPickerMessages.deploymentPicker.invalidName,
  );
};
