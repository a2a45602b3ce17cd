export { DeploymentPickerField } from './DeploymentPickerField';
export type { DeploymentPickerUiOptions } from './DeploymentPickerField';
export { deploymentPickerValidation, isValidObjectName } from './validation';
