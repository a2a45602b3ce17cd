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
  kubecopilotEntityConditions,
  createKubecopilotEntityConditionalDecision,
} from './permissions/conditions';
export { runVerifyCli } from './audit/verifyCli';
