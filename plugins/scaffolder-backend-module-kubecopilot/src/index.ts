/**
 * Scaffolder actions that draft KubeCopilot operation plans.
 *
 * @packageDocumentation
 */

export { scaffolderModuleKubecopilot as default } from './module';
export { createKubecopilotPlanAction } from './actions/createPlan';
export { createKubecopilotCanaryPlanAction } from './actions/createCanaryPlan';
export { createKubecopilotBlueGreenPlanAction } from './actions/createBlueGreenPlan';
