import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { diffSummary } from './diffSummary';
import { HUMAN_DECISION } from './schemas';

/** What an agent is told about a plan (the `planOutput` schema). */
export function agentPlan(plan: OperationPlan, appBaseUrl: string) {
  return {
    id: plan.id,
    status: plan.status,
    entityRef: plan.entityRef,
    action: plan.action,
    resource: plan.resource,
    risk: {
      level: plan.risk.level,
      rules: plan.risk.reasons.map(r => `${r.rule}: ${r.message}`),
    },
    requiresSecondApprover: plan.requiresSecondApprover,
    diffSummary: diffSummary(plan.diff.before, plan.diff.after, plan.resource),
    reviewUrl: reviewUrl(appBaseUrl, plan.id),
    requestedBy: plan.audit.requestedBy,
    ...(plan.requestedVia
      ? {
          requestedVia: {
            channel: plan.requestedVia.channel,
            ...(plan.requestedVia.invokedBy
              ? { invokedBy: plan.requestedVia.invokedBy }
              : {}),
            ...(plan.requestedVia.client
              ? { client: plan.requestedVia.client }
              : {}),
          },
        }
      : {}),
    createdAt: plan.audit.timestamps.createdAt,
    nextStep:
      plan.status === 'pending'
        ? HUMAN_DECISION
        : `The plan is ${plan.status}; its review in the portal (reviewUrl) shows who decided and what happened.`,
  };
}

/** The plan's review in the portal: the inbox opened on it (as notifications link it). */
export function reviewUrl(appBaseUrl: string, planId: string): string {
  return `${appBaseUrl.replace(
    /\/+$/,
    '',
  )}/kubecopilot/inbox?plan=${encodeURIComponent(planId)}`;
}
