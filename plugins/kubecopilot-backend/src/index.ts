/**
 * The KubeCopilot backend plugin: diagnosis, operation plans, safe execution
 * and audit for Kubernetes workloads of catalog entities.
 *
 * @packageDocumentation
 */

export { kubecopilotPlugin as default } from './plugin';
export {
  kubecopilotPlanConditions,
  createKubecopilotPlanConditionalDecision,
} from './permissions/conditions';
export { runVerifyCli } from './audit/verifyCli';
