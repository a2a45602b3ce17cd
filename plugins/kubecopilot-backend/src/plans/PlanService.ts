import { randomUUID } from 'node:crypto';
import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  isSameActor,
  kubecopilotPlanApprovePermission,
  CreatePlanRequest,
  kubecopilotPlanCreatePermission,
  OperationPlan,
  PlanAction,
  RiskLevel,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AuditStore } from '../audit/types';
import { forStorage } from '../changes/forStorage';
import { actorOf, normalizeEntityRef } from '../identity/actor';
import { collectionPath, objectPath } from '../changes/kinds';
import {
  buildChange,
  Change,
  draftChange,
  inverseTarget,
} from '../changes/change';
import { snapshotOf } from '../changes/snapshot';
import { ActionWhitelist } from '../changes/whitelist';
import { LlmIntentPlanner } from '../intents/LlmIntentPlanner';
import { intentParams, parseIntent } from '../intents/parseIntent';
import { KubernetesBackendClient } from '../kubernetes/types';
import { RuleBasedRiskEngine } from '../risk';
import { KubeObject } from '../risk/types';
import { nextStatus, PlanTransition } from './lifecycle';
import { PlanNotifier } from './PlanNotifier';
import { entityTargets, PlanTarget, unreadableClusters } from './targets';
import { PlanFilter, PlanStore, StoredPlan } from './types';
import { recordChange } from './recordChange';

/** `POST /plans` body, already validated by the request parser. */
export type { CreatePlanRequest };

export interface PlanServiceOptions {
  store: PlanStore;
  audit: AuditStore;
  kubernetes: KubernetesBackendClient;
  catalog: CatalogService;
  permissions: PermissionsService;
  rules: PermissionRuleset<StoredPlan, PlanFilter>;
  whitelist: ActionWhitelist;
  risk: RuleBasedRiskEngine;
  notifier: PlanNotifier;
  auditor?: AuditorService;
  logger: LoggerService;
  intentPlanner?: LlmIntentPlanner;
  productionNamespaces: string[];
  secondApproverFor: RiskLevel[];
  /** Upper bound of `replicas` in any plan (`kubecopilot.plans.maxReplicas`). */
  maxReplicas?: number;
  now?: () => Date;
}

/**
 * Drafting and deciding plans. Everything the plan shows — `diff.before`, the
 * risk — is read from the cluster when the plan is made; every change is
 * written together with its audit entry in one transaction.
 */
export class PlanService {
  private readonly isAllowed: ReturnType<
    typeof createConditionAuthorizer<StoredPlan, PlanFilter>
  >;
  private readonly now: () => Date;

  constructor(private readonly options: PlanServiceOptions) {
    this.isAllowed = createConditionAuthorizer(options.rules);
    this.now = options.now ?? (() => new Date());
  }

  async createPlan(
    request: CreatePlanRequest,
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<OperationPlan> {
    await this.requireBasic(
      kubecopilotPlanCreatePermission,
      credentials,
      'draft plans',
    );
    const actor = actorOf(credentials);
    const { entityRef, ownerRef, targets, unreadable } =
      await this.resolveEntity(request.entityRef, credentials);

    const resolved = await this.resolve(
      request,
      entityRef,
      targets,
      unreadable,
    );
    const { target, action } = resolved;
    this.checkWhitelist(action, target.kind);

    const { live, hpas, pdbs, warnings } = await this.readForRisk(
      target,
      credentials,
    );
    const now = this.now();
    // One computed change: the risk, the diff and (at execution) the write
    // all follow from it, whatever the action was called.
    const { after, params } = draftChange(
      action,
      live as Record<string, any>,
      resolved.params,
      { now, maxReplicas: this.options.maxReplicas },
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
      aiRationale: resolved.rationale,
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
    draft: Awaited<ReturnType<PlanService['draftRevert']>>,
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
    await this.emitAuditorEvent('plan-create', revertPlan, actor);
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
    plan: OperationPlan,
    ownerRef: string | undefined,
    actor: string,
  ): Promise<OperationPlan> {
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
    await this.emitAuditorEvent('plan-create', plan, actor);
    await this.options.notifier.planWaiting(plan, ownerRef);
    return plan;
  }

  async approve(
    id: string,
    input: { comment?: string },
    { credentials }: { credentials: BackstageCredentials },
  ) {
    return this.decide(id, 'approve', input.comment, credentials);
  }

  async reject(
    id: string,
    input: { comment: string },
    { credentials }: { credentials: BackstageCredentials },
  ) {
    return this.decide(id, 'reject', input.comment, credentials);
  }

  private async decide(
    id: string,
    transition: Extract<PlanTransition, 'approve' | 'reject'>,
    comment: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<OperationPlan> {
    const stored = await this.loadAuthorized(
      id,
      kubecopilotPlanApprovePermission,
      credentials,
      `${transition} plan '${id}'`,
    );
    const actor = actorOf(credentials);
    const { plan } = stored;
    const status = nextStatus(plan.status, transition);
    if (
      transition === 'approve' &&
      plan.requiresSecondApprover &&
      isSameActor(plan.audit.requestedBy, actor)
    ) {
      throw new NotAllowedError(
        `This plan is ${plan.risk.level} risk, so a second person must approve it; you requested it yourself`,
      );
    }
    const at = this.now().toISOString();
    const next: OperationPlan = {
      ...plan,
      status,
      approvals: [
        ...plan.approvals,
        {
          by: actor,
          decision: transition === 'approve' ? 'approved' : 'rejected',
          at,
          ...(comment ? { comment } : {}),
        },
      ],
      audit: {
        ...plan.audit,
        ...(transition === 'approve' ? { confirmedBy: actor } : {}),
        timestamps: {
          ...plan.audit.timestamps,
          ...(transition === 'approve'
            ? { confirmedAt: at }
            : { rejectedAt: at }),
        },
      },
    };
    const saved = await recordChange(
      this.options.store,
      this.options.audit,
      { plan: next, expectedRevision: plan.revision },
      {
        planId: plan.id,
        entityRef: plan.entityRef,
        actor,
        action: transition === 'approve' ? 'plan.approved' : 'plan.rejected',
        payload: { ...(comment ? { comment } : {}), risk: plan.risk.level },
      },
    );
    await this.emitAuditorEvent(`plan-${transition}`, saved, actor);
    await this.options.notifier.planChanged(saved, stored.ownerRef);
    return saved;
  }

  /**
   * Expires plans that waited longer than `maxAgeMs` for a decision, so a
   * stale diff is never approved weeks later. Returns how many expired.
   */
  async expireStalePlans(maxAgeMs: number): Promise<number> {
    const now = this.now();
    let expired = 0;
    for (const { plan, ownerRef } of await this.options.store.listPendingBefore(
      new Date(now.getTime() - maxAgeMs),
      500,
    )) {
      const at = now.toISOString();
      const next: OperationPlan = {
        ...plan,
        status: nextStatus(plan.status, 'expire'),
        audit: {
          ...plan.audit,
          timestamps: { ...plan.audit.timestamps, expiredAt: at },
        },
      };
      try {
        const saved = await recordChange(
          this.options.store,
          this.options.audit,
          { plan: next, expectedRevision: plan.revision },
          {
            planId: plan.id,
            entityRef: plan.entityRef,
            actor: 'plugin:kubecopilot',
            action: 'plan.expired',
            payload: {
              waitedHours: Math.round(
                (now.getTime() - Date.parse(plan.audit.timestamps.createdAt)) /
                  3_600_000,
              ),
            },
          },
        );
        expired += 1;
        await this.options.notifier.planChanged(saved, ownerRef);
      } catch (error) {
        // Decided or expired by someone else meanwhile.
        if (!(error instanceof Error && error.name === 'ConflictError'))
          throw error;
      }
    }
    return expired;
  }

  async load(id: string): Promise<StoredPlan> {
    const stored = await this.options.store.getPlan(id);
    if (!stored) throw new NotFoundError(`Plan '${id}' not found`);
    return stored;
  }

  /**
   * Loads a plan the caller may act on with a resource permission. An
   * unconditional DENY answers 403 before the plan is looked up, so a denied
   * caller cannot probe which plans exist; conditions are evaluated here.
   */
  async loadAuthorized(
    id: string,
    permission: ResourcePermission<'kubecopilot-plan'>,
    credentials: BackstageCredentials,
    what: string,
  ): Promise<StoredPlan> {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    const denied = () =>
      new NotAllowedError(
        `You are not allowed to ${what} (${permission.name})`,
      );
    if (decision.result === AuthorizeResult.DENY) throw denied();
    const stored = await this.load(id);
    if (!this.isAllowed(decision, stored)) throw denied();
    return stored;
  }

  async requireBasic(
    permission: BasicPermission,
    credentials: BackstageCredentials,
    what: string,
  ) {
    const [decision] = await this.options.permissions.authorize(
      [{ permission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to ${what} (${permission.name})`,
      );
    }
  }

  private async resolve(
    request: CreatePlanRequest,
    entityRef: string,
    targets: PlanTarget[],
    unreadable: string[],
  ): Promise<{
    action: PlanAction;
    target: PlanTarget;
    params: Record<string, unknown>;
    rationale: string;
    source: 'rules' | 'llm';
    model?: string;
    promptVersion?: string;
  }> {
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
            kinds:
              parsed.type === 'delete'
                ? ['Pod']
                : ['Deployment', 'StatefulSet', 'DaemonSet'],
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
      if (!this.options.intentPlanner) {
        throw new InputError(
          `KubeCopilot could not understand "${truncate(
            request.intent,
            120,
          )}" without an LLM. Try "restart <name>", "scale <name> to <n>", "scale <name> up by <n>" or "delete pod <name>".`,
        );
      }
      if (targets.length === 0) {
        throw new InputError(
          `Entity '${entityRef}' has no workloads to act on${unreadableNote}`,
        );
      }
      const answer = await this.options.intentPlanner.plan({
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

  async emitAuditorEvent(
    eventId: string,
    plan: OperationPlan,
    actor: string,
    error?: Error,
  ) {
    if (!this.options.auditor) return;
    try {
      const event = await this.options.auditor.createEvent({
        eventId,
        severityLevel: plan.risk.level === 'high' ? 'high' : 'medium',
        meta: {
          planId: plan.id,
          entityRef: plan.entityRef,
          actor,
          action: plan.action,
          resource: plan.resource,
          status: plan.status,
        },
      });
      await (error ? event.fail({ error }) : event.success());
    } catch (e) {
      this.options.logger.warn(`Could not emit auditor event ${eventId}: ${e}`);
    }
  }
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

function truncate(text: string, max: number) {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
