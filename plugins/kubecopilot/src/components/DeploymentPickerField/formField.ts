import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { DeploymentPickerField } from './DeploymentPickerField';
import { deploymentPickerValidation } from './validation';

/** The field's name, as templates write it in `ui:field`. */
export const DEPLOYMENT_PICKER_FIELD = 'KubecopilotDeploymentPicker';

/** The field for the new frontend system's scaffolder, loaded on demand. */
export const deploymentPickerFormField = createFormField({
  name: DEPLOYMENT_PICKER_FIELD,
  component: DeploymentPickerField,
  validation: deploymentPickerValidation,
});
