import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  OperationPlan,
  PlanStep,
  ResourceRef,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { buildCanaryObject } from '../changes/canaryObject';
import { forwardTarget, writeFor } from '../changes/change';
import { specDrift } from '../changes/drift';
import { canonicalJson } from '../audit/canonical';
import { forStorage } from '../changes/forStorage';
import { collectionPath, objectPath } from '../changes/kinds';
import { driftSince } from '../changes/snapshot';
import { KubernetesBackendClient } from '../kubernetes/types';
import {
  ApplyOutcome,
  applyChange,
  KubeObject,
  readObject,
} from './applyChange';
import { isSelectorStep, switchSelector, waitAvailable } from './blueGreenSteps';

export interface StepApplierOptions {
  kubernetes: KubernetesBackendClient;
  auth: AuthService;
}

/**
 * The write of one action step of a multi-step plan, through the same
 * guarded `applyChange` as every plan: drift is checked against what the
 * plan's earlier steps left (uid + generation) or the plan's snapshot, and
 * the write is computed from the live object and the step's typed params.
 */
export class StepApplier {
  constructor(private readonly options: StepApplierOptions) {}

  /**
   * The last state a succeeded step of this plan left `resource` in: its uid
   * and generation. A write to it later must find exactly that.
   */
  private lastWritten(plan: OperationPlan, resource: ResourceRef) {
    const same = (r?: ResourceRef) =>
      r?.cluster === resource.cluster &&
      r.namespace === resource.namespace &&
      r.kind === resource.kind &&
      r.name === resource.name;
    return [...(plan.steps ?? [])]
      .filter(
        s =>
          s.type === 'action' && s.status === 'succeeded' && same(s.resource),
      )
      .sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''))
      .pop();
  }

  private isPlanResource(plan: OperationPlan, resource: ResourceRef) {
    return (
      plan.resource.cluster === resource.cluster &&
      plan.resource.namespace === resource.namespace &&
      plan.resource.kind === resource.kind &&
      plan.resource.name === resource.name
    );
  }

  /**
   * The step's write; then, when the step asks (`waitAvailableSeconds`, a
   * blue-green's green or restored blue), the wait until its Deployment is
   * fully available, or the step fails.
   */
  async applyStep(
    plan: OperationPlan,
    step: PlanStep,
    credentials: BackstageCredentials,
  ): Promise<ApplyOutcome> {
    const outcome = isSelectorStep(step)
      ? await switchSelector(this.options.kubernetes, step, credentials)
      : await this.writeStep(plan, step, credentials);
    const seconds = step.params?.waitAvailableSeconds;
    if (!outcome.ok || typeof seconds !== 'number') return outcome;
    const late = await waitAvailable(
      this.options.kubernetes,
      step.resource!,
      seconds,
      credentials,
    );
    return late
      ? {
          ok: false,
          error: new ConflictError(late),
          execution: { outcome: 'failed', message: late },
        }
      : outcome;
  }

  private writeStep(
    plan: OperationPlan,
    step: PlanStep,
    credentials: BackstageCredentials,
  ): Promise<ApplyOutcome> {
    const resource = step.resource!;
    const previous = this.lastWritten(plan, resource);
    const { kubernetes } = this.options;
    // What the object must look like before this write: as an earlier step
    // of this plan left it (uid + generation), or as the plan's snapshot.
    const checkOwnWrite = (live: KubeObject | null, uidOnly: boolean) => {
      if (!live) return ['it no longer exists'];
      const drift: string[] = [];
      if (previous?.uid && live.metadata?.uid !== previous.uid) {
        drift.push('metadata.uid (the object was deleted and re-created)');
      }
      if (
        !uidOnly &&
        previous?.generation !== undefined &&
        live.metadata?.generation !== previous.generation
      ) {
        drift.push(
          `metadata.generation (${previous.generation} → ${live.metadata?.generation}): someone else changed it`,
        );
      }
      return drift;
    };
    const checkDrift = (
      live: KubeObject | null,
      raw: KubeObject | null = live,
    ): string[] => {
      if (step.action === 'create') {
        return live
          ? [`a ${resource.kind} named ${resource.name} already exists`]
          : [];
      }
      if (previous) return checkOwnWrite(live, step.action === 'delete');
      if (this.isPlanResource(plan, resource)) {
        const drift = driftSince(plan, raw, live);
        return drift.length === 0 && !live ? ['it no longer exists'] : drift;
      }
      return live ? [] : ['it no longer exists'];
    };

    if (step.action === 'create') {
      return this.createFromStable(plan, step, credentials, checkDrift);
    }
    return applyChange(kubernetes, {
      resource,
      credentials,
      checkDrift,
      write: live => {
        if (step.action === 'scale') {
          // A patch of the Deployment itself (not /scale) answers with the
          // Deployment, whose generation later steps check.
          return {
            cluster: resource.cluster,
            path: objectPath(resource),
            method: 'PATCH',
            patchType: 'merge',
            resourceVersion: live!.metadata?.resourceVersion,
            body: { spec: { replicas: targetReplicas(step) } },
          };
        }
        if (step.action === 'update' && !step.params) {
          // Plans made before steps carried typed params: their diff is
          // redacted and must never be written.
          throw new ConflictError(
            `step ${step.id} was planned by an older KubeCopilot without typed parameters; make a new canary plan`,
          );
        }
        return writeFor(
          resource,
          forwardTarget(step.action!, step.params ?? {}),
          live!,
        );
      },
      isApplied: live => this.isApplied(step, live),
      // Deleting what is already gone (e.g. a rollback after someone removed
      // the canary by hand) reaches the goal without a write.
      ...(step.action === 'delete'
        ? { alreadyApplied: (live: KubeObject | null) => live === null }
        : {}),
    });
  }

  /**
   * Creates the canary from the live stable Deployment (secret-looking values
   * are redacted in the plan, so the plan's copy is never written), after
   * checking the stable one still matches the plan's snapshot.
   */
  private async createFromStable(
    plan: OperationPlan,
    step: PlanStep,
    credentials: BackstageCredentials,
    checkDrift: (live: KubeObject | null) => string[],
  ): Promise<ApplyOutcome> {
    const resource = step.resource!;
    const stable = await this.readRaw(plan.resource, credentials).catch(
      (error: Error) => error,
    );
    if (stable instanceof Error || !stable) {
      const message = `could not read Deployment ${plan.resource.name}: ${
        stable instanceof Error ? stable.message : 'it no longer exists'
      }; nothing was written`;
      return {
        ok: false,
        error: stable instanceof Error ? stable : new ConflictError(message),
        execution: { outcome: 'failed', message },
      };
    }
    const drift = driftSince(plan, stable, forStorage(stable));
    if (drift.length > 0) {
      const message = `Deployment ${
        plan.resource.name
      } changed since the plan was made (${drift.join(
        ', ',
      )}); nothing was written`;
      return {
        ok: false,
        error: new ConflictError(message),
        execution: { outcome: 'failed', drift, message },
      };
    }
    const canary = buildCanaryObject(stable, {
      name: resource.name,
      planId: plan.id,
      container: String(plan.params.container),
      image: String(plan.params.image),
      replicas: targetReplicas(step) ?? 1,
      ...(step.params?.track === 'green' ? { track: 'green' as const } : {}),
    });
    return applyChange(this.options.kubernetes, {
      resource,
      credentials,
      checkDrift,
      write: () => ({
        cluster: resource.cluster,
        path: collectionPath(resource.kind, resource.namespace),
        method: 'POST',
        body: canary,
      }),
      isApplied: live => live !== null,
    });
  }

  isApplied(step: PlanStep, live: KubeObject | null) {
    switch (step.action) {
      case 'create':
        return live !== null;
      case 'delete':
        return live === null || live.metadata?.deletionTimestamp !== undefined;
      case 'scale':
        return live?.spec?.replicas === targetReplicas(step);
      case 'update':
        return isSelectorStep(step)
          ? canonicalJson(live?.spec?.selector ?? null) ===
              canonicalJson(step.params!.selector)
          : live !== null &&
              specDrift(step.diff?.after as KubeObject, live).length === 0;
      default:
        return (
          live !== null &&
          specDrift(step.diff?.after as KubeObject, live).length === 0
        );
    }
  }

  /** The live object as the plan shows objects (redacted), or null. */
  async readLive(resource: ResourceRef): Promise<KubeObject | null> {
    const live = await this.readRaw(
      resource,
      await this.options.auth.getOwnServiceCredentials(),
    );
    return live ? forStorage(live) : null;
  }

  /** The live object as it is (never stored or shown), or null. */
  private readRaw(
    resource: ResourceRef,
    credentials: BackstageCredentials,
  ): Promise<KubeObject | null> {
    return readObject(this.options.kubernetes, resource, credentials);
  }

  /**
   * Reverts an executed multi-step plan: puts the steps that changed objects
   * beyond the plan's end state back (for a canary: the stable image).
   */
  async revertSteps(
    plan: OperationPlan,
    credentials: BackstageCredentials,
  ): Promise<ApplyOutcome> {
    const revertible = (plan.steps ?? []).filter(
      s =>
        s.phase === 'rollback' &&
        s.type === 'action' &&
        s.undoes?.some(id => plan.steps?.find(st => st.id === id)?.status === 'succeeded') &&
        // A delete puts nothing back, except removing what the plan created
        // and left running (a blue-green's green).
        (s.action !== 'delete' || plan.action === 'blue-green'),
    );
    if (revertible.length === 0) {
      return {
        ok: false,
        error: new ConflictError('this plan has nothing to revert'),
        execution: { outcome: 'failed', message: 'nothing to revert' },
      };
    }
    let last: ApplyOutcome | undefined;
    for (const step of revertible) {
      last = await this.applyStep(plan, step, credentials);
      if (!last.ok) return last;
    }
    return last!;
  }
}

/** The replicas a scale or create step leaves its Deployment with. */
function targetReplicas(step: PlanStep): number | undefined {
  const after = step.diff?.after as KubeObject | null | undefined;
  const replicas = after?.spec?.replicas;
  return typeof replicas === 'number' ? replicas : undefined;
}
