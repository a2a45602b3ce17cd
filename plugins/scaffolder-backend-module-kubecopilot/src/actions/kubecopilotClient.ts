import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  OperationPlan,
  operationPlanSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** Longest wait for the KubeCopilot backend to draft a plan. */
const TIMEOUT_MS = 60_000;

/**
 * Drafts a plan through the KubeCopilot backend on behalf of `credentials`
 * (the user who runs the template), so the plan's requester, permissions
 * and audit entry are theirs.
 */
export async function draftPlan(
  services: { discovery: DiscoveryService; auth: AuthService },
  credentials: BackstageCredentials,
  path: '/plans' | '/plans/canary' | '/plans/blue-green',
  body: unknown,
): Promise<OperationPlan> {
  const { token } = await services.auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: 'kubecopilot',
  });
  const baseUrl = await services.discovery.getBaseUrl('kubecopilot');
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) {
    const error = await ResponseError.fromResponse(response);
    // The backend's own words ("… is not a workload of …") beat
    // "Request failed with 400".
    throw new Error(
      `KubeCopilot did not draft the plan: ${error.cause.message}`,
    );
  }
  return operationPlanSchema.parse(await response.json());
}

/** Where a plan is reviewed and approved. */
export function planUrl(id: string) {
  return `/kubecopilot/inbox?plan=${encodeURIComponent(id)}`;
}
