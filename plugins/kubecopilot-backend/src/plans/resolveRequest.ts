import { InputError } from '@backstage/errors';
import {
  CreatePlanRequest,
  PlanAction,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { LlmIntentPlanner } from '../intents/LlmIntentPlanner';
import { outOfScope } from '../intents/outOfScope';
import { intentParams, parseIntent } from '../intents/parseIntent';
import { PlanTarget } from './targets';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** The kinds an intent's name may refer to, by action. */
const TARGET_KINDS: Partial<Record<PlanAction, string[]>> = {
  delete: ['Pod'],
  rollback: ['Deployment', 'StatefulSet'],
};

/** What a request asks for: an action, on which object, with what, and why. */
export interface ResolvedRequest {
  action: PlanAction;
  target: PlanTarget;
  params: Record<string, unknown>;
  rationale: string;
  source: 'rules' | 'llm';
  /** An edited manifest (YAML text): the update is what it changes. */
  manifest?: string;
  model?: string;
  promptVersion?: string;
}

/**
 * Words or a structured request → an action on one of the entity's
 * workloads. The deterministic parser reads the common intents; the model,
 * when configured, the rest — and its answer must name a listed target.
 */
export async function resolveRequest(
  request: CreatePlanRequest,
  entityRef: string,
  targets: PlanTarget[],
  unreadable: string[],
  intentPlanner: LlmIntentPlanner | undefined,
): Promise<ResolvedRequest> {
  const unreadableNote = unreadable.length
    ? ` (clusters ${unreadable.join(', ')} could not be read)`
    : '';
  if ('intent' in request) {
    const parsed = parseIntent(request.intent);
    if (parsed) {
      const target = pickTarget(
        targets,
        {
          name: parsed.target.name,
          kind: parsed.target.kind,
          namespace: parsed.namespace,
          cluster: parsed.cluster,
          kinds: TARGET_KINDS[parsed.type] ?? WORKLOAD_KINDS,
        },
        entityRef,
        unreadableNote,
      );
      const params: Record<string, unknown> = intentParams(parsed);
      return {
        action: parsed.type,
        target,
        params,
        source: 'rules',
        rationale: `Requested as "${request.intent}". KubeCopilot's deterministic parser read it as ${parsed.type} of ${target.kind} ${target.namespace}/${target.name} in cluster ${target.cluster}.`,
      };
    }
    if (!intentPlanner) {
      const refused = outOfScope(request.intent);
      if (refused) throw new InputError(refused);
      throw new InputError(
        `KubeCopilot could not understand "${truncate(
          request.intent,
          120,
        )}" without an LLM. Try "restart <name>", "scale <name> to <n>", "scale <name> up by <n>", "roll back <name>" or "delete pod <name>".`,
      );
    }
    if (targets.length === 0) {
      throw new InputError(
        `Entity '${entityRef}' has no workloads to act on${unreadableNote}`,
      );
    }
    const answer = await intentPlanner.plan({
      entityRef,
      intent: request.intent,
      targets,
    });
    if (!answer.ok) {
      throw new InputError(`KubeCopilot cannot plan this: ${answer.reason}`);
    }
    return {
      action: answer.action,
      target: answer.target,
      params: answer.params,
      rationale: answer.rationale,
      source: 'llm',
      model: answer.model,
      promptVersion: answer.promptVersion,
    };
  }
  if ('manifest' in request) {
    const target = pickTarget(
      targets,
      { ...request.resource, kinds: WORKLOAD_KINDS },
      entityRef,
      unreadableNote,
    );
    return {
      action: 'update',
      target,
      params: {},
      manifest: request.manifest,
      source: 'rules',
      rationale: `Edited in the YAML view: the manifest of ${target.kind} ${target.namespace}/${target.name} in cluster ${target.cluster}.`,
    };
  }
  const target = pickTarget(
    targets,
    {
      name: request.resource.name,
      kind: request.resource.kind,
      namespace: request.resource.namespace,
      cluster: request.resource.cluster,
    },
    entityRef,
    unreadableNote,
  );
  return {
    action: request.action,
    target,
    params: request.params ?? {},
    source: 'rules',
    rationale:
      request.rationale ??
      `Requested as ${request.action} of ${target.kind} ${target.namespace}/${target.name} in cluster ${target.cluster}.`,
  };
}

export function pickTarget(
  targets: PlanTarget[],
  want: {
    name: string;
    kind?: string;
    namespace?: string;
    cluster?: string;
    kinds?: string[];
  },
  entityRef: string,
  unreadableNote: string,
): PlanTarget {
  const matches = targets.filter(
    t =>
      t.name === want.name &&
      (!want.kind || t.kind === want.kind) &&
      (!want.kinds || want.kinds.includes(t.kind)) &&
      (!want.namespace || t.namespace === want.namespace) &&
      (!want.cluster || t.cluster === want.cluster),
  );
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    const names = [
      ...new Set(
        targets.filter(t => t.kind !== 'Pod').map(t => `${t.kind} ${t.name}`),
      ),
    ];
    throw new InputError(
      `${want.kind ?? 'Object'} '${
        want.name
      }' is not a workload of ${entityRef}${unreadableNote}; ${
        names.length
          ? `its workloads are: ${names.join(', ')}`
          : 'it has no workloads'
      }`,
    );
  }
  throw new InputError(
    `'${want.name}' is ambiguous: ${matches
      .map(m => `${m.kind} ${m.namespace}/${m.name} in cluster ${m.cluster}`)
      .join(', ')}. Name the kind or add "in cluster <name>".`,
  );
}

function truncate(text: string, max: number) {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
