import { randomUUID } from 'node:crypto';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CreatePlanRequest,
  kubecopilotPlanCreatePermission,
  OperationPlan,
  PlanAction,
  RiskLevel,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AuditStore } from '../audit/types';
import {
  buildChange,
  Change,
  draftChange,
  inverseTarget,
} from '../changes/change';
import { forStorage } from '../changes/forStorage';
import { collectionPath, objectPath } from '../changes/kinds';
import { snapshotOf } from '../changes/snapshot';
import { ActionWhitelist } from '../changes/whitelist';
import { actorOf, normalizeEntityRef } from '../identity/actor';
import { currentRequestedVia } from '../identity/requestedVia';
import { LlmIntentPlanner } from '../intents/LlmIntentPlanner';
import { KubernetesBackendClient } from '../kubernetes/types';
import { RuleBasedRiskEngine } from '../risk';
import { ErrorBudgetSource, KubeObject } from '../risk/types';
import { PlanAccess } from './PlanAccess';
import { PlanNotifier } from './PlanNotifier';
import { readRevisions } from './readRevisions';
import { resolveRequest } from './resolveRequest';
import { manifestEdit } from '../yaml/manifestChange';
import { entityTargets, PlanTarget, unreadableClusters } from './targets';
import { PlanStore, StoredPlan } from './types';

/** `POST /plans` body, already validated by the request parser. */
export type { CreatePlanRequest };

export interface PlanDrafterOptions {
  store: PlanStore;
  audit: AuditStore;
  kubernetes: KubernetesBackendClient;
  catalog: CatalogService;
  access: PlanAccess;
  whitelist: ActionWhitelist;
  risk: RuleBasedRiskEngine;
  notifier: PlanNotifier;
  intentPlanner?: LlmIntentPlanner;
  productionNamespaces: string[];
  secondApproverFor: RiskLevel[];
  /** Upper bound of `replicas` in any plan (`kubecopilot.plans.maxReplicas`). */
  maxReplicas?: number;
  /** The entity's SLO error budget for the risk (bounded; never rejects). */
  errorBudget?: ErrorBudgetSource;
  now?: () => Date;
}

/** Drafts a plan from words it recognises, or answers undefined. */
export type IntentHandler = (
  request: Extract<CreatePlanRequest, { intent: string }>,
  options: { credentials: BackstageCredentials },
) => Promise<OperationPlan | undefined>;

/**
 * Drafting plans: resolve the request, read the target, compute the change,
 * score its risk, save. Everything the plan shows — `diff.before`, the risk —
 * is read from the cluster when the plan is made; the plan is written
 * together with its `plan.created` entry in one transaction. Canary plans
 * reuse the same steps (`begin`, `readTarget`, `newPlanShell`, `saveNewPlan`).
 */
export class PlanDrafter {
  private readonly now: () => Date;
  private readonly intentHandlers: IntentHandler[] = [];

  constructor(private readonly options: PlanDrafterOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Requests that are not single changes (a canary intent in words) are
   * drafted by the service that knows them; the first handler that takes
   * the request answers it. Registered at wiring time, so this folder needs
   * no knowledge of canaries.
   */
  handleIntentsWith(handler: IntentHandler) {
    this.intentHandlers.push(handler);
  }

  async createPlan(
    request: CreatePlanRequest,
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<OperationPlan> {
    if ('intent' in request) {
      for (const handle of this.intentHandlers) {
        const plan = await handle(request, { credentials });
        if (plan) return plan;
      }
    }
    const { actor, entityRef, ownerRef, targets, unreadable } =
      await this.begin(request.entityRef, credentials);
    const resolved = await resolveRequest(
      request,
      entityRef,
      targets,
      unreadable,
      this.options.intentPlanner,
    );
    const { target, action } = resolved;
    const errorBudget = this.options.errorBudget?.(entityRef, credentials);
    const { live, hpas, pdbs, warnings } = await this.readTarget(
      action,
      target,
      credentials,
    );
    const now = this.now();
    const revisions =
      action === 'rollback'
        ? await readRevisions(this.options.kubernetes, target, live, credentials)
        : undefined;
    // One computed change: the risk, the diff and (at execution) the write
    // all follow from it, whatever the action was called.
    const edit = manifestEdit(live, resolved);
    const { after, params } = draftChange(
      action,
      live as Record<string, any>,
      edit?.params ?? resolved.params,
      { now, maxReplicas: this.options.maxReplicas, revisions },
    );
    const risk = this.options.risk.assess({
      action,
      resource: target,
      params,
      before: live,
      after: after as KubeObject | null,
      hpas,
      pdbs,
      podLabels: target.kind === 'Pod' ? live.metadata?.labels : undefined,
      productionNamespaces: this.options.productionNamespaces,
      errorBudget: await errorBudget,
    });
    risk.reasons.push(...warnings);

    const plan: OperationPlan = {
      ...this.newPlanShell({ entityRef, ownerRef, actor, now }),
      action,
      resource: {
        cluster: target.cluster,
        kind: target.kind,
        namespace: target.namespace,
        name: target.name,
      },
      params,
      ...('intent' in request ? { intent: request.intent } : {}),
      diff: {
        before: forStorage(live),
        after: after ? forStorage(after) : null,
      },
      snapshot: snapshotOf(live as Record<string, any>),
      risk,
      aiRationale: edit?.rationale ?? resolved.rationale,
      rationaleSource: resolved.source,
      ...(resolved.model
        ? { model: resolved.model, promptVersion: resolved.promptVersion }
        : {}),
      requiresSecondApprover: this.options.secondApproverFor.includes(
        risk.level,
      ),
    };
    return this.saveNewPlan(plan, ownerRef, actor);
  }

  /**
   * A revert is a change like any other: the values the plan replaced,
   * applied to the object as it is now, with its own diff and risk.
   */
  async draftRevert(
    plan: OperationPlan,
    credentials: BackstageCredentials,
  ): Promise<{
    change: Change;
    live: KubeObject;
    risk: OperationPlan['risk'];
    requiresSecondApprover: boolean;
  }> {
    const target = inverseTarget(plan.action, plan.params);
    const { live, hpas, pdbs, warnings } = await this.readForRisk(
      plan.resource as PlanTarget,
      credentials,
    );
    const change = buildChange(live as Record<string, any>, target, {
      maxReplicas: this.options.maxReplicas,
    });
    const risk = this.options.risk.assess({
      action: plan.action,
      resource: plan.resource,
      params: change.params,
      before: live,
      after: change.after as KubeObject | null,
      hpas,
      pdbs,
      podLabels: plan.resource.kind === 'Pod' ? live.metadata?.labels : undefined,
      productionNamespaces: this.options.productionNamespaces,
    });
    risk.reasons.push(...warnings);
    return {
      change,
      live,
      risk,
      requiresSecondApprover: this.options.secondApproverFor.includes(
        risk.level,
      ),
    };
  }

  /**
   * A revert whose own risk needs a second person becomes a pending plan,
   * linked both ways to the plan it undoes: the same approval rules, the same
   * audit, and the original stays executed until the revert plan runs.
   */
  async requestRevertApproval(
    stored: StoredPlan,
    draft: Awaited<ReturnType<PlanDrafter['draftRevert']>>,
    actor: string,
  ): Promise<{ plan: OperationPlan; revertPlan: OperationPlan }> {
    const { plan: original, ownerRef } = stored;
    const now = this.now();
    const revertPlan: OperationPlan = {
      ...this.newPlanShell({
        entityRef: original.entityRef,
        ownerRef,
        actor,
        now,
      }),
      action: original.action,
      resource: original.resource,
      params: draft.change.params,
      diff: {
        before: forStorage(draft.live as Record<string, any>),
        after: draft.change.after ? forStorage(draft.change.after) : null,
      },
      snapshot: snapshotOf(draft.live as Record<string, any>),
      risk: draft.risk,
      aiRationale: `Revert of plan ${original.id} (${original.action} of ${original.resource.kind} ${original.resource.name}), requested by ${actor}: it restores the values that plan replaced. The revert is ${draft.risk.level} risk on its own, so a second person must approve it.`,
      rationaleSource: 'rules',
      requiresSecondApprover: true,
      revertOf: original.id,
    };
    const linked: OperationPlan = { ...original, revertPlanId: revertPlan.id };
    let saved: OperationPlan | undefined;
    await this.options.store.transaction(async tx => {
      await this.options.store.createPlan(revertPlan, { ownerRef, tx });
      await this.options.audit.append(
        {
          planId: revertPlan.id,
          entityRef: revertPlan.entityRef,
          actor,
          action: 'plan.created',
          before: revertPlan.diff.before,
          after: revertPlan.diff.after,
          payload: {
            planAction: revertPlan.action,
            resource: revertPlan.resource,
            risk: revertPlan.risk.level,
            rules: revertPlan.risk.reasons.map(r => r.rule),
            source: 'rules',
            revertOf: original.id,
          },
        },
        tx,
      );
      saved = await this.options.store.updatePlan(linked, {
        expectedRevision: original.revision,
        tx,
      });
      await this.options.audit.append(
        {
          planId: original.id,
          entityRef: original.entityRef,
          actor,
          action: 'plan.revert-requested',
          payload: {
            revertPlanId: revertPlan.id,
            risk: revertPlan.risk.level,
            rules: revertPlan.risk.reasons.map(r => r.rule),
          },
        },
        tx,
      );
    });
    await this.options.access.emitAuditorEvent('plan-create', revertPlan, actor);
    await this.options.notifier.planWaiting(revertPlan, ownerRef);
    return { plan: saved!, revertPlan };
  }

  /** The fields every new plan starts with. */
  newPlanShell(input: {
    entityRef: string;
    ownerRef?: string;
    actor: string;
    now: Date;
  }) {
    return {
      id: randomUUID(),
      entityRef: input.entityRef,
      ...(input.ownerRef ? { ownerRef: input.ownerRef } : {}),
      status: 'pending' as const,
      audit: {
        requestedBy: input.actor,
        confirmedBy: null,
        executedBy: null,
        timestamps: {
          createdAt: input.now.toISOString(),
          confirmedAt: null,
          executedAt: null,
          failedAt: null,
          revertedAt: null,
        },
      },
      approvals: [],
      revision: 0,
    };
  }

  /**
   * What every draft starts with: the caller may draft plans, who they are,
   * and the entity (read as them) with its owner and workloads.
   */
  async begin(ref: string, credentials: BackstageCredentials) {
    await this.options.access.requireBasic(
      kubecopilotPlanCreatePermission,
      credentials,
      'draft plans',
    );
    const actor = actorOf(credentials);
    return { actor, ...(await this.resolveEntity(ref, credentials)) };
  }

  /** The whitelist allows the action on the target; then read it for risk. */
  async readTarget(
    action: PlanAction,
    target: PlanTarget,
    credentials: BackstageCredentials,
  ) {
    this.checkWhitelist(action, target.kind);
    return this.readForRisk(target, credentials);
  }

  /** The entity (read as the user), its owner and its workloads. */
  async resolveEntity(ref: string, credentials: BackstageCredentials) {
    const entityRef = normalizeEntityRef(ref);
    // Both reads run as the user; an unknown entity answers 404 from the
    // catalog rather than whatever the Kubernetes backend says about it.
    const [entity, objectsOrError] = await Promise.all([
      this.options.catalog.getEntityByRef(entityRef, { credentials }),
      this.options.kubernetes
        .getObjectsByEntity(entityRef, { credentials })
        .catch((error: Error) => error),
    ]);
    if (!entity) throw new NotFoundError(`Entity '${entityRef}' not found`);
    if (objectsOrError instanceof Error) throw objectsOrError;
    return {
      entityRef,
      ownerRef: ownerOf(entity),
      targets: entityTargets(objectsOrError),
      unreadable: unreadableClusters(objectsOrError),
    };
  }

  checkWhitelist(action: PlanAction, kind: string) {
    const decision = this.options.whitelist.check(action, kind);
    if (!decision.allowed) {
      throw new InputError(
        `KubeCopilot will not plan this: ${decision.reason}`,
      );
    }
  }

  /** The live object and what the risk rules look at, in one round trip. */
  async readForRisk(target: PlanTarget, credentials: BackstageCredentials) {
    const [live, hpas, pdbs] = await Promise.all([
      this.options.kubernetes.read<KubeObject>({
        cluster: target.cluster,
        path: objectPath(target),
        credentials,
      }),
      this.listOrEmpty(target, 'HorizontalPodAutoscaler', credentials),
      this.listOrEmpty(target, 'PodDisruptionBudget', credentials),
    ]);
    return {
      live,
      hpas: hpas.items,
      pdbs: pdbs.items,
      warnings: [hpas, pdbs]
        .filter(l => l.error)
        .map(l => ({
          rule: 'incomplete-data',
          warning: true,
          message: l.error!,
        })),
    };
  }

  /** Stores a new plan with its `plan.created` entry, then tells people. */
  async saveNewPlan(
    draft: OperationPlan,
    ownerRef: string | undefined,
    actor: string,
  ): Promise<OperationPlan> {
    // Drafted by an agent (an action of the actions registry): it says so.
    const requestedVia = currentRequestedVia();
    const plan = requestedVia ? { ...draft, requestedVia } : draft;
    await this.options.store.transaction(async tx => {
      await this.options.store.createPlan(plan, { ownerRef, tx });
      await this.options.audit.append(
        {
          planId: plan.id,
          entityRef: plan.entityRef,
          actor,
          action: 'plan.created',
          before: plan.diff.before,
          after: plan.diff.after,
          payload: {
            planAction: plan.action,
            resource: plan.resource,
            risk: plan.risk.level,
            rules: plan.risk.reasons.map(r => r.rule),
            source: plan.rationaleSource,
            ...(plan.intent ? { intent: plan.intent } : {}),
            ...(requestedVia
              ? {
                  requestedVia: {
                    channel: requestedVia.channel,
                    invokedBy: requestedVia.invokedBy,
                    client: requestedVia.client,
                  },
                }
              : {}),
            ...(plan.model
              ? { model: plan.model, promptVersion: plan.promptVersion }
              : {}),
            ...(plan.steps
              ? { steps: plan.steps.map(st => `${st.id}: ${st.title}`) }
              : {}),
          },
        },
        tx,
      );
    });
    await this.options.access.emitAuditorEvent('plan-create', plan, actor);
    await this.options.notifier.planWaiting(plan, ownerRef);
    return plan;
  }

  private async listOrEmpty(
    target: PlanTarget,
    kind: string,
    credentials: BackstageCredentials,
  ): Promise<{ items: KubeObject[]; error?: string }> {
    try {
      const list = await this.options.kubernetes.read<{ items?: KubeObject[] }>(
        {
          cluster: target.cluster,
          path: collectionPath(kind, target.namespace),
          credentials,
        },
      );
      return { items: list.items ?? [] };
    } catch (error) {
      return {
        items: [],
        error: `could not read ${kind}s in ${
          target.namespace
        }, so the ${kind} rules could not run: ${(error as Error).message}`,
      };
    }
  }
}

function ownerOf(entity: {
  metadata: { namespace?: string };
  spec?: Record<string, unknown>;
}) {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}
