import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  kubecopilotDiagnosePermission,
  kubecopilotPlanCreatePermission,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { DiagnosisService } from '../diagnosis/types';
import type { EventsService } from '../events/types';
import type { AuthorizedFindingReader } from '../findings/AuthorizedFindingReader';
import { runRequestedVia } from '../identity/requestedVia';
import type { PlanDrafter } from '../plans/PlanDrafter';
import type { PlanReader } from '../plans/types';
import { parseCreateDiagnosisRequest } from '../service/request/parseDiagnosisRequests';
import { parseFindingsQuery } from '../service/request/parseFindingsQuery';
import { parseCreatePlanRequest } from '../service/request/parsePlanRequests';
import type { WorkloadsService } from '../workloads/types';
import { AgentActionGuard } from './AgentActionGuard';
import { agentPlan } from './agentPlan';
import {
  diagnoseEntityInput,
  diagnoseEntityOutput,
  draftPlanInput,
  getEventsInput,
  getEventsOutput,
  getPlanInput,
  getPlanOutput,
  getWorkloadsInput,
  getWorkloadsOutput,
  listFindingsInput,
  listFindingsOutput,
  listPendingPlansInput,
  listPendingPlansOutput,
  planOutput,
  UNTRUSTED_NOTICE,
} from './schemas';

/**
 * What the actions can reach. Deliberately no plan decisions, execution or
 * revert: an agent diagnoses and proposes; people decide and execute.
 */
export interface KubecopilotActionsOptions {
  registry: ActionsRegistryService;
  guard: AgentActionGuard;
  diagnoses: DiagnosisService;
  workloads: WorkloadsService;
  /** The entity's events timeline, as `GET /events` reads it. */
  events: EventsService;
  /** Findings of the scheduled scan, read like diagnoses. */
  findings: Pick<AuthorizedFindingReader, 'list'>;
  /** Plan reads with the read permission applied. */
  plans: PlanReader;
  /** Drafting only (the same code path as `POST /plans`). */
  drafter: Pick<PlanDrafter, 'createPlan'>;
  /** The portal's base URL (`app.baseUrl`), for review links; empty gives relative links. */
  appBaseUrl: string;
}

const HUMAN_DECISION_SENTENCE =
  'Only a person can approve and execute it, in the KubeCopilot portal; no tool approves, executes or reverts.';

/** The names of the actions this plugin registers (ids `kubecopilot:<name>`). */
export const KUBECOPILOT_ACTION_NAMES = [
  'diagnose-entity',
  'get-workloads',
  'get-events',
  'list-findings',
  'draft-plan',
  'get-plan',
  'list-pending-plans',
] as const;

/**
 * Registers KubeCopilot's actions with Backstage's actions registry, which
 * `@backstage/plugin-mcp-actions-backend` serves as MCP tools. Each runs with
 * the calling principal's credentials through the same services, permission
 * checks and rate limits as the HTTP API. None approves, executes or
 * reverts a plan: that is a product rule, checked by `registerActions.test.ts`,
 * `mcp.integration.test.ts` and `architecture.test.ts`.
 */
export function registerKubecopilotActions(options: KubecopilotActionsOptions) {
  registerDiagnoseEntity(options);
  registerGetWorkloads(options);
  registerGetEvents(options);
  registerListFindings(options);
  registerDraftPlan(options);
  registerGetPlan(options);
  registerListPendingPlans(options);
}

/** Registers `diagnose-entity`: the AI Diagnose tab's diagnosis of an entity. */
function registerDiagnoseEntity(options: KubecopilotActionsOptions) {
  const { registry, guard } = options;
  registry.register({
    name: 'diagnose-entity',
    title: 'Diagnose a service’s Kubernetes workloads',
    description: `Diagnoses what is wrong with the Kubernetes workloads of a Backstage catalog entity (a service): pod states, events, recent logs, analysed by KubeCopilot's rules (and its model when configured). Returns findings with evidence and recommended fixes, best first — the same diagnosis as the portal's AI Diagnose tab. Reads only; changes nothing. ${UNTRUSTED_NOTICE} To fix something, pass a recommendation to draft-plan.`,
    attributes: { readOnly: true, destructive: false, idempotent: false },
    visibilityPermission: kubecopilotDiagnosePermission,
    examples: [
      {
        title: 'Why is checkout failing?',
        input: { entityRef: 'component:default/checkout' },
      },
    ],
    schema: { input: diagnoseEntityInput, output: diagnoseEntityOutput },
    action: async ({ input, credentials }) => {
      const output = await guard.run(
        'diagnose-entity',
        credentials,
        { rateLimit: 'diagnoses', meta: { entityRef: input.entityRef } },
        () => {
          const request = parseCreateDiagnosisRequest({
            ...input,
            entityRef: fullEntityRef(input.entityRef),
          });
          return options.diagnoses.diagnose(request.entityRef, {
            target: request.target,
            credentials,
          });
        },
      );
      return { output };
    },
  });
}

/** Registers `get-workloads`: an entity's workloads in every cluster. */
function registerGetWorkloads(options: KubecopilotActionsOptions) {
  const { registry, guard } = options;
  registry.register({
    name: 'get-workloads',
    title: 'List a service’s Kubernetes workloads',
    description:
      'Lists the Kubernetes workloads (Deployments, StatefulSets, DaemonSets, Jobs, Pods, …) of a Backstage catalog entity in every cluster, with ready/desired replicas, restarts, waiting reasons and images. Reads only.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    visibilityPermission: kubecopilotDiagnosePermission,
    schema: { input: getWorkloadsInput, output: getWorkloadsOutput },
    action: async ({ input, credentials }) => {
      const output = await guard.run(
        'get-workloads',
        credentials,
        { meta: { entityRef: input.entityRef } },
        () =>
          options.workloads.getWorkloads(
            parseEntityRef(fullEntityRef(input.entityRef)),
            { credentials },
          ),
      );
      return { output };
    },
  });
}

/** Registers `get-events`: an entity's Kubernetes events, newest first. */
function registerGetEvents(options: KubecopilotActionsOptions) {
  const { registry, guard } = options;
  registry.register({
    name: 'get-events',
    title: 'Show a service’s Kubernetes events',
    description: `Lists the Kubernetes events of a Backstage catalog entity's objects (pods, ReplicaSets, Deployments, …) in every cluster, newest first — back-offs, failed pulls, scheduling failures, scaling — with the plans KubeCopilot executed or reverted for it as markers, so changes and symptoms line up in time. The same timeline as the portal's AI Diagnose tab. Reads only. ${UNTRUSTED_NOTICE}`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    visibilityPermission: kubecopilotDiagnosePermission,
    examples: [
      {
        title: 'What happened to checkout recently?',
        input: { entityRef: 'component:default/checkout', type: 'Warning' },
      },
    ],
    schema: { input: getEventsInput, output: getEventsOutput },
    action: async ({ input, credentials }) => {
      const output = await guard.run(
        'get-events',
        credentials,
        { meta: { entityRef: input.entityRef } },
        () =>
          options.events.getEvents(
            {
              entityRef: parseEntityRef(fullEntityRef(input.entityRef)),
              ...(input.type ? { type: input.type } : {}),
              limit: input.limit ?? 50,
            },
            { credentials },
          ),
      );
      return { output };
    },
  });
}

/** Registers `list-findings`: the scheduled scan's findings the caller may read. */
function registerListFindings(options: KubecopilotActionsOptions) {
  const { registry, guard } = options;
  registry.register({
    name: 'list-findings',
    title: 'List the problems KubeCopilot’s scan keeps finding',
    description: `Lists the findings of KubeCopilot's scheduled scan across the services you may read — CrashLoopBackOff, OOMKilled, unavailable replicas, … — with when each was first and last seen, most recent first. Filter by entity, owner group or severity. Reads only; diagnose-entity explains one service in depth.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    visibilityPermission: kubecopilotDiagnosePermission,
    schema: { input: listFindingsInput, output: listFindingsOutput },
    action: async ({ input, credentials }) => {
      const findings = await guard.run(
        'list-findings',
        credentials,
        { meta: { entityRef: input.entityRef, owner: input.owner } },
        () =>
          options.findings.list(
            parseFindingsQuery({
              ...input,
              ...(input.entityRef
                ? { entityRef: fullEntityRef(input.entityRef) }
                : {}),
            }),
            { credentials },
          ),
      );
      return { output: { findings } };
    },
  });
}

/** Registers `draft-plan`: drafts a pending plan for a person to decide, never more. */
function registerDraftPlan(options: KubecopilotActionsOptions) {
  const { registry, guard, appBaseUrl } = options;
  registry.register({
    name: 'draft-plan',
    title: 'Propose a change as a pending plan for a person to review',
    description: `Proposes a change to a service's Kubernetes workloads — restart, scale, roll back, delete a pod — as a KubeCopilot OperationPlan. The plan is only drafted: it is saved as PENDING with its risk (scored by deterministic rules) and its exact diff, and the service's approvers are notified. Nothing in the cluster changes. ${HUMAN_DECISION_SENTENCE} Give either an intent in words or a structured action and target (e.g. a recommendation from diagnose-entity). Returns the plan id, risk, a summary of the diff and the review URL to give the user.`,
    attributes: { readOnly: false, destructive: false, idempotent: false },
    visibilityPermission: kubecopilotPlanCreatePermission,
    examples: [
      {
        title: 'Restart checkout',
        input: {
          entityRef: 'component:default/checkout',
          intent: 'restart checkout',
          rationale:
            'The diagnosis shows checkout crash-looping after a config change was fixed.',
          client: 'Claude Code',
        },
      },
      {
        title: 'A diagnosis recommendation as a structured action',
        input: {
          entityRef: 'component:default/checkout',
          action: 'rollback',
          target: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
        },
      },
    ],
    schema: { input: draftPlanInput, output: planOutput },
    action: async ({ input, credentials }) => {
      const plan = await guard.run(
        'draft-plan',
        credentials,
        {
          rateLimit: 'plans',
          severityLevel: 'medium',
          usersOnly:
            'Only a signed-in user can draft plans: an agent drafts for the person whose credentials it uses. Connect the MCP client with a user sign-in (OAuth), not a static token.',
          meta: { entityRef: input.entityRef, client: input.client },
        },
        caller =>
          runRequestedVia(
            {
              channel: caller.channel,
              ...(caller.invokedBy ? { invokedBy: caller.invokedBy } : {}),
              ...(input.client ? { client: input.client } : {}),
              ...(input.rationale ? { rationale: input.rationale } : {}),
            },
            () =>
              options.drafter.createPlan(
                parseCreatePlanRequest(planRequestBody(input)),
                { credentials },
              ),
          ),
      );
      return { output: agentPlan(plan, appBaseUrl) };
    },
  });
}

/** Registers `get-plan`: reads one plan. */
function registerGetPlan(options: KubecopilotActionsOptions) {
  const { registry, guard, appBaseUrl } = options;
  registry.register({
    name: 'get-plan',
    title: 'Read a KubeCopilot plan',
    description:
      'Reads one KubeCopilot OperationPlan: its status (pending until a person decides), risk, diff summary and review URL. Use it to follow up on a plan you drafted. Reads only.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: { input: getPlanInput, output: getPlanOutput },
    action: async ({ input, credentials }) => {
      const plan = await guard.run(
        'get-plan',
        credentials,
        { meta: { planId: input.id } },
        () => options.plans.getPlan(input.id, { credentials }),
      );
      return { output: agentPlan(plan, appBaseUrl) };
    },
  });
}

/** Registers `list-pending-plans`: plans waiting for a person's decision. */
function registerListPendingPlans(options: KubecopilotActionsOptions) {
  const { registry, guard, appBaseUrl } = options;
  registry.register({
    name: 'list-pending-plans',
    title: 'List plans waiting for a decision',
    description:
      'Lists the KubeCopilot plans that wait for a person’s decision (status pending), newest first, optionally of one entity: only plans the user may read. Reads only; to decide, a person opens the review URL.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: { input: listPendingPlansInput, output: listPendingPlansOutput },
    action: async ({ input, credentials }) => {
      const page = await guard.run(
        'list-pending-plans',
        credentials,
        { meta: { entityRef: input.entityRef } },
        () =>
          options.plans.listPlans(
            {
              status: 'pending',
              limit: input.limit,
              ...(input.entityRef
                ? { entityRef: fullEntityRef(input.entityRef) }
                : {}),
            },
            { credentials },
          ),
      );
      return {
        output: {
          plans: page.items.map(plan => agentPlan(plan, appBaseUrl)),
          more: Boolean(page.nextCursor),
        },
      };
    },
  });
}

/** `checkout` → `component:default/checkout`: models often drop the kind. */
function fullEntityRef(ref: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    throw new InputError(
      `Invalid entityRef '${ref}': ${(error as Error).message}`,
    );
  }
}

/** The action's input as the body `POST /plans` takes, checked by the same parser. */
function planRequestBody(input: {
  entityRef: string;
  intent?: string;
  action?: string;
  target?: Record<string, unknown>;
  params?: Record<string, unknown>;
}): unknown {
  const entityRef = fullEntityRef(input.entityRef);
  if (input.intent && (input.action || input.target)) {
    throw new InputError('Give either intent, or action and target — not both');
  }
  if (input.intent) return { entityRef, intent: input.intent };
  if (!input.action || !input.target) {
    throw new InputError(
      'Give an intent in words ("restart checkout"), or an action with its target',
    );
  }
  return {
    entityRef,
    action: input.action,
    resource: input.target,
    ...(input.params ? { params: input.params } : {}),
  };
}
