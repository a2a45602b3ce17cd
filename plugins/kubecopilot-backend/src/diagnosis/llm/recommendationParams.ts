import { PlanAction } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { DEFAULT_MAX_REPLICAS, looksLikeCredential, parseRequestParams } from '../../changes/params';
import { LlmDiagnosis } from './schema';

type LlmParams = NonNullable<LlmDiagnosis['recommendations'][number]['params']>;

/**
 * A model's structured recommendation in the change model's own terms, so
 * "Create plan" drafts exactly what the plan service accepts: `update` params
 * become `{ replicas, containers: { <container>: { image, resources, env } } }`.
 * A recommendation that would not make a valid plan (no container named for
 * a container field, a value that looks like a credential, out-of-range
 * replicas, parameters the action does not take) keeps its words and loses
 * its action: the model proposes, deterministic code decides what is a plan.
 */
export function recommendationAction(
  action: PlanAction | undefined,
  params: LlmParams | undefined,
): { action: PlanAction; params: Record<string, unknown> } | { reason: string } | undefined {
  if (!action) return undefined;
  let planParams: Record<string, unknown>;
  switch (action) {
    case 'restart':
    case 'delete':
      planParams = {};
      break;
    case 'scale':
      planParams = { replicas: params?.replicas };
      break;
    case 'update': {
      const { replicas, container, image, resources, env } = params ?? {};
      const change = {
        ...(image !== undefined ? { image } : {}),
        ...(resources !== undefined ? { resources } : {}),
        ...(env !== undefined ? { env } : {}),
      };
      if (Object.keys(change).length > 0 && !container) {
        return { reason: 'the update names no container' };
      }
      for (const [name, value] of Object.entries(env ?? {})) {
        if (looksLikeCredential(name, value)) {
          return { reason: `${name} looks like a credential` };
        }
      }
      planParams = {
        ...(replicas !== undefined ? { replicas } : {}),
        ...(container && Object.keys(change).length > 0
          ? { containers: { [container]: change } }
          : {}),
      };
      if (Object.keys(planParams).length === 0) {
        return { reason: 'the update changes nothing' };
      }
      break;
    }
    default:
      return { reason: `KubeCopilot cannot ${action} objects` };
  }
  try {
    return {
      action,
      params: parseRequestParams(action, planParams, DEFAULT_MAX_REPLICAS),
    };
  } catch (error) {
    return { reason: (error as Error).message };
  }
}
