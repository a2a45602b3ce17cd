import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  isSameActor,
  GateMeasurement,
  OperationPlan,
  PlanExecution,
  PlanStep,
  ResourceRef,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AuditStore } from '../audit/types';
import { buildCanaryObject } from '../canary/canaryPlan';
import { KubernetesBackendClient } from '../kubernetes/types';
import { nextStatus } from '../plans/lifecycle';
import { PlanNotifier } from '../plans/PlanNotifier';
import { PlanStore } from '../plans/types';
import { forStorage } from '../changes/forStorage';
import { recordChange } from '../plans/recordChange';
import { evaluateGate } from '../prometheus/evaluateGate';
import { MetricsClient } from '../prometheus/PrometheusClient';
import {
  ApplyOutcome,
  applyChange,
  KubeObject,
  readObject,
} from './applyChange';
import { specDrift } from '../changes/drift';
import { collectionPath, objectPath } from '../changes/kinds';
import { forwardTarget, writeFor } from '../changes/change';
import { driftSince } from '../changes/snapshot';

/** Who the runner acts as in the audit log when no person is driving. */
export const RUNNER_ACTOR = 'plugin:kubecopilot';

export interface StepRunnerOptions {
  store: PlanStore;
  audit: AuditStore;
  kubernetes: KubernetesBackendClient;
  metrics: MetricsClient;
  notifier: PlanNotifier;
  auth: AuthService;
  logger: LoggerService;
  now?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** How long a running action step may go without news before reconcile takes over. */
  actionStaleAfterMs?: number;
}

type StepResult =
  | { ok: true; patch: Partial<PlanStep> }
  | { ok: false; message: string; patch: Partial<PlanStep> };

/**
 * Runs multi-step plans (canaries) one step at a time, in the background of
 * the request that started them. Every step is claimed with the plan's
 * optimistic lock before it acts (one runner wins across requests and
 * replicas), every state change is recorded with its audit entry in one
 * transaction, every write re-checks drift against what the plan's earlier
 * steps left behind, and a failed gate, a declined confirmation or a failed
 * write runs the rollback steps of whatever was done.
 */
export class StepRunner {
  private readonly now: () => Date;
  private readonly running = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(private readonly options: StepRunnerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Advances the plan in the background; a second call while it runs is a no-op. */
  start(planId: string): void {
    if (this.running.has(planId)) return;
    const run = this.run(planId)
      .catch(error =>
        this.options.logger.error(
          `Multi-step plan ${planId} stopped: ${error}`,
        ),
      )
      .finally(() => this.running.delete(planId));
    this.running.set(planId, run);
  }

  /** Resolves when no plan is being advanced by this instance. */
  async idle(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.all([...this.running.values()]);
    }
  }

  /** Stops waiting on gates (backend shutdown); running plans are reconciled later. */
  shutdown() {
    this.stopping.abort();
  }

  /**
   * Advances the plan until it pauses at an approval, finishes, or fails and
   * rolls back. Safe to call concurrently: only the claim winner acts.
   */
  async run(planId: string): Promise<void> {
    for (;;) {
      const stored = await this.options.store.getPlan(planId);
      if (!stored) return;
      const { plan } = stored;
      if (plan.status !== 'executing' || !plan.steps) return;
      const step = plan.steps.find(
        s =>
          s.phase !== 'rollback' &&
          s.status !== 'succeeded' &&
          s.status !== 'skipped',
      );
      if (!step) {
        await this.finish(plan, { ok: true, ownerRef: stored.ownerRef });
        return;
      }
      if (step.status !== 'pending') return; // another runner has it
      if (step.type === 'approval') {
        await this.pause(plan, step, stored.ownerRef);
        return;
      }
      let claimed: OperationPlan;
      try {
        claimed = await this.changeStep(
          plan,
          step.id,
          { status: 'running', startedAt: this.now().toISOString() },
          { action: 'plan.step-started', actor: RUNNER_ACTOR },
        );
      } catch (error) {
        if (error instanceof ConflictError) return; // lost the claim
        throw error;
      }
      await this.options.notifier.planProgress?.(claimed);
      const result =
        step.type === 'gate'
          ? await this.runGate(claimed, step)
          : await this.runAction(claimed, step);
      const latest = (await this.options.store.getPlan(planId))!.plan;
      const finishedAt = this.now().toISOString();
      const done = await this.changeStep(
        latest,
        step.id,
        {
          ...result.patch,
          status: result.ok ? 'succeeded' : 'failed',
          finishedAt,
          ...(result.ok ? {} : { result: result.message }),
        },
        {
          action: result.ok ? 'plan.step-succeeded' : 'plan.step-failed',
          actor: RUNNER_ACTOR,
        },
      );
      await this.options.notifier.planProgress?.(done);
      if (!result.ok) {
        const reason = `step "${step.title}" failed: ${result.message}`;
        if (step.onFailure === 'abort') {
          await this.finish(done, {
            ok: false,
            reason,
            ownerRef: stored.ownerRef,
          });
        } else {
          await this.rollback(done, reason, stored.ownerRef);
        }
        return;
      }
    }
  }

  /** Confirms the approval step the plan waits at, and resumes it. */
  async confirm(
    plan: OperationPlan,
    stepId: string,
    actor: string,
    comment?: string,
  ): Promise<OperationPlan> {
    const step = this.waitingStep(plan, stepId);
    if (
      plan.requiresSecondApprover &&
      isSameActor(plan.audit.requestedBy, actor)
    ) {
      throw new NotAllowedError(
        `This plan is ${plan.risk.level} risk, so a second person must confirm its steps; you requested it yourself`,
      );
    }
    const at = this.now().toISOString();
    const resumed = await this.changeStep(
      { ...plan, status: nextStatus(plan.status, 'resume') },
      step.id,
      {
        status: 'succeeded',
        by: actor,
        finishedAt: at,
        result: `confirmed by ${actor}${comment ? `: ${comment}` : ''}`,
      },
      {
        action: 'plan.step-confirmed',
        actor,
        payload: comment ? { comment } : {},
      },
    );
    this.start(plan.id);
    return resumed;
  }

  /** Declines the approval step: the plan rolls back. */
  async decline(
    plan: OperationPlan,
    stepId: string,
    actor: string,
    comment: string,
    ownerRef?: string,
  ): Promise<OperationPlan> {
    const step = this.waitingStep(plan, stepId);
    const declined = await this.changeStep(
      { ...plan, status: nextStatus(plan.status, 'resume') },
      step.id,
      {
        status: 'failed',
        by: actor,
        finishedAt: this.now().toISOString(),
        result: `declined by ${actor}: ${comment}`,
      },
      { action: 'plan.step-declined', actor, payload: { comment } },
    );
    return this.rollback(
      declined,
      `${actor} declined "${step.title}": ${comment}`,
      ownerRef,
    );
  }

  /**
   * Reverts an executed multi-step plan: puts the steps that changed objects
   * beyond the plan's end state back (for a canary: the stable image).
   */
  async revert(
    plan: OperationPlan,
    credentials: BackstageCredentials,
  ): Promise<ApplyOutcome> {
    const revertible = (plan.steps ?? []).filter(
      s =>
        s.phase === 'rollback' &&
        s.type === 'action' &&
        s.undoes?.some(id => this.stepById(plan, id)?.status === 'succeeded') &&
        s.action !== 'delete',
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

  /**
   * Settles a multi-step plan a stopped backend left `executing`: a running
   * action step is judged from the live object (never written again), a
   * running gate counts as failed, and the rollback steps run. Plans whose
   * running step is younger than its own deadline are left alone: another
   * replica is probably still advancing them.
   */
  async reconcile(plan: OperationPlan, ownerRef?: string): Promise<boolean> {
    const running = plan.steps?.find(s => s.status === 'running');
    const startedAt = Date.parse(
      running?.startedAt ?? plan.execution?.startedAt ?? '',
    );
    if (
      running &&
      Number.isFinite(startedAt) &&
      this.now().getTime() - startedAt < this.deadlineOf(running)
    ) {
      return false;
    }
    let current = plan;
    if (running) {
      let applied = false;
      if (running.type === 'action') {
        const live = await this.readLive(running.resource!);
        applied = this.isApplied(running, live);
      }
      current = await this.changeStep(
        plan,
        running.id,
        {
          status: applied ? 'succeeded' : 'failed',
          finishedAt: this.now().toISOString(),
          result: applied
            ? 'the backend stopped during this step; the change is in place'
            : 'the backend stopped during this step; it did not complete',
        },
        {
          action: applied ? 'plan.step-succeeded' : 'plan.step-failed',
          actor: RUNNER_ACTOR,
          payload: { reconciled: true },
        },
      );
    } else if (
      plan.steps?.every(
        s =>
          s.phase === 'rollback' ||
          s.status === 'succeeded' ||
          s.status === 'skipped',
      )
    ) {
      await this.finish(plan, { ok: true, ownerRef });
      return true;
    }
    await this.rollback(
      current,
      'the backend stopped in the middle of the rollout, so it was rolled back',
      ownerRef,
    );
    return true;
  }

  private deadlineOf(step: PlanStep): number {
    if (step.type === 'gate' && step.gate) {
      const { delaySeconds, intervalSeconds, samples } = step.gate;
      return (
        (delaySeconds + intervalSeconds * samples) * 1000 +
        (this.options.actionStaleAfterMs ?? 120_000)
      );
    }
    return this.options.actionStaleAfterMs ?? 120_000;
  }

  private waitingStep(plan: OperationPlan, stepId: string): PlanStep {
    const step = this.stepById(plan, stepId);
    if (!step) {
      throw new InputError(`Plan '${plan.id}' has no step '${stepId}'`);
    }
    if (plan.status !== 'paused' || step.status !== 'waiting') {
      throw new ConflictError(
        `Step '${stepId}' of plan '${plan.id}' is ${step.status} and the plan is ${plan.status}; only a waiting step of a paused plan can be confirmed or declined`,
      );
    }
    return step;
  }

  private stepById(plan: OperationPlan, id: string) {
    return plan.steps?.find(s => s.id === id);
  }

  private async pause(
    plan: OperationPlan,
    step: PlanStep,
    ownerRef?: string,
  ): Promise<void> {
    try {
      const paused = await this.changeStep(
        { ...plan, status: nextStatus(plan.status, 'pause') },
        step.id,
        { status: 'waiting', startedAt: this.now().toISOString() },
        { action: 'plan.paused', actor: RUNNER_ACTOR },
      );
      await this.options.notifier.planChanged(paused, ownerRef);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  private async runGate(
    plan: OperationPlan,
    step: PlanStep,
  ): Promise<StepResult> {
    const cluster = step.resource?.cluster ?? plan.resource.cluster;
    if (!step.gate)
      return { ok: false, message: 'the gate has no query', patch: {} };
    if (!this.options.metrics.isConfigured(cluster)) {
      return {
        ok: false,
        message: `no Prometheus is configured for cluster ${cluster} (kubecopilot.prometheus), so the gate cannot pass`,
        patch: {},
      };
    }
    const measurements: GateMeasurement[] = [];
    try {
      const evaluation = await evaluateGate(
        this.options.metrics,
        cluster,
        step.gate,
        {
          signal: this.stopping.signal,
          ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
          now: this.now,
          onSample: async (sample: GateMeasurement) => {
            measurements.push(sample);
            const latest = (await this.options.store.getPlan(plan.id))!.plan;
            const saved = await this.changeStep(
              latest,
              step.id,
              { measurements: [...measurements] },
              {
                action: 'plan.gate-sampled',
                actor: RUNNER_ACTOR,
                payload: { query: step.gate!.query, ...sample },
              },
            );
            await this.options.notifier.planProgress?.(saved);
          },
        },
      );
      return evaluation.passed
        ? {
            ok: true,
            patch: {
              measurements: evaluation.measurements,
              result: evaluation.message,
            },
          }
        : {
            ok: false,
            message: evaluation.message,
            patch: { measurements: evaluation.measurements },
          };
    } catch (error) {
      return {
        ok: false,
        message: `the gate could not be evaluated: ${(error as Error).message}`,
        patch: { measurements },
      };
    }
  }

  private async runAction(
    plan: OperationPlan,
    step: PlanStep,
  ): Promise<StepResult> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const outcome = await this.applyStep(plan, step, credentials);
    if (!outcome.ok) {
      return {
        ok: false,
        message: outcome.execution.message ?? outcome.error.message,
        patch: {},
      };
    }
    const object = outcome.object;
    return {
      ok: true,
      patch: {
        result: outcome.execution.message,
        ...(outcome.execution.resourceVersion
          ? { resourceVersion: outcome.execution.resourceVersion }
          : {}),
        ...(object?.metadata?.uid ? { uid: String(object.metadata.uid) } : {}),
        ...(typeof object?.metadata?.generation === 'number'
          ? { generation: object.metadata.generation }
          : {}),
      },
    };
  }

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

  private applyStep(
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

  private isApplied(step: PlanStep, live: KubeObject | null) {
    switch (step.action) {
      case 'create':
        return live !== null;
      case 'delete':
        return live === null || live.metadata?.deletionTimestamp !== undefined;
      case 'scale':
        return live?.spec?.replicas === targetReplicas(step);
      default:
        return (
          live !== null &&
          specDrift(step.diff?.after as KubeObject, live).length === 0
        );
    }
  }

  /** The live object as the plan shows objects (redacted), or null. */
  private async readLive(resource: ResourceRef): Promise<KubeObject | null> {
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

  /** Runs the rollback steps of what succeeded, then fails the plan. */
  private async rollback(
    plan: OperationPlan,
    reason: string,
    ownerRef?: string,
  ): Promise<OperationPlan> {
    let current = await this.changePlan(
      plan,
      {},
      {
        action: 'plan.rollback-started',
        actor: RUNNER_ACTOR,
        payload: { reason },
      },
    );
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const problems: string[] = [];
    // Rollback steps only undo rollout steps, whose statuses no longer change.
    const succeeded = new Set(
      current.steps!.filter(s => s.status === 'succeeded').map(s => s.id),
    );
    for (const step of current.steps!.filter(s => s.phase === 'rollback')) {
      const needed = step.undoes?.some(id => succeeded.has(id));
      if (!needed) {
        current = await this.changeStep(
          current,
          step.id,
          { status: 'skipped', result: 'nothing to undo' },
          { action: 'plan.step-skipped', actor: RUNNER_ACTOR },
        );
        continue;
      }
      current = await this.changeStep(
        current,
        step.id,
        { status: 'running', startedAt: this.now().toISOString() },
        { action: 'plan.step-started', actor: RUNNER_ACTOR },
      );
      const outcome = await this.applyStep(current, step, credentials);
      current = await this.changeStep(
        current,
        step.id,
        {
          status: outcome.ok ? 'succeeded' : 'failed',
          finishedAt: this.now().toISOString(),
          result: outcome.execution.message,
        },
        {
          action: outcome.ok ? 'plan.step-succeeded' : 'plan.step-failed',
          actor: RUNNER_ACTOR,
          payload: outcome.execution,
        },
      );
      if (!outcome.ok)
        problems.push(`${step.title}: ${outcome.execution.message}`);
    }
    return this.finish(current, {
      ok: false,
      reason:
        problems.length === 0
          ? `${reason}; rolled back`
          : `${reason}; the rollback did not complete (${problems.join(
              '; ',
            )}): check the cluster`,
      rolledBack: problems.length === 0,
      ownerRef,
    });
  }

  private async finish(
    plan: OperationPlan,
    result:
      | { ok: true; ownerRef?: string }
      | { ok: false; reason: string; rolledBack?: boolean; ownerRef?: string },
  ): Promise<OperationPlan> {
    const at = this.now().toISOString();
    const execution: PlanExecution = {
      ...(plan.execution ?? { by: RUNNER_ACTOR, startedAt: at }),
      finishedAt: at,
    };
    let outcome: PlanExecution['outcome'] = 'applied';
    if (!result.ok) outcome = result.rolledBack ? 'rolled-back' : 'failed';
    const steps = result.ok
      ? plan.steps!.map(s =>
          s.phase === 'rollback' && s.status === 'pending'
            ? { ...s, status: 'skipped' as const, result: 'not needed' }
            : s,
        )
      : plan.steps;
    const done: OperationPlan = {
      ...plan,
      steps,
      status: nextStatus(plan.status, result.ok ? 'succeed' : 'fail'),
      execution: {
        ...execution,
        outcome,
        message: result.ok ? 'every step succeeded' : result.reason,
      },
      ...(result.ok ? {} : { error: result.reason }),
      audit: {
        ...plan.audit,
        timestamps: {
          ...plan.audit.timestamps,
          ...(result.ok ? { executedAt: at } : { failedAt: at }),
        },
      },
    };
    const saved = await recordChange(
      this.options.store,
      this.options.audit,
      { plan: done, expectedRevision: plan.revision },
      {
        planId: plan.id,
        entityRef: plan.entityRef,
        actor: RUNNER_ACTOR,
        action: result.ok ? 'plan.executed' : 'plan.failed',
        before: plan.diff.before,
        after: result.ok ? plan.diff.after : undefined,
        payload: { outcome, ...(result.ok ? {} : { error: result.reason }) },
      },
    );
    await this.options.notifier.planChanged(saved, result.ownerRef);
    return saved;
  }

  private changeStep(
    plan: OperationPlan,
    stepId: string,
    patch: Partial<PlanStep>,
    entry: { action: string; actor: string; payload?: Record<string, unknown> },
    expectedRevision = plan.revision,
  ): Promise<OperationPlan> {
    const step = this.stepById(plan, stepId)!;
    return this.changePlan(
      {
        ...plan,
        steps: plan.steps!.map(s => (s.id === stepId ? { ...s, ...patch } : s)),
      },
      {},
      {
        ...entry,
        payload: {
          stepId,
          step: step.title,
          ...(patch.status ? { status: patch.status } : {}),
          ...(patch.result ? { result: patch.result } : {}),
          ...entry.payload,
        },
      },
      expectedRevision,
    );
  }

  private changePlan(
    plan: OperationPlan,
    patch: Partial<OperationPlan>,
    entry: { action: string; actor: string; payload?: Record<string, unknown> },
    expectedRevision = plan.revision,
  ): Promise<OperationPlan> {
    return recordChange(
      this.options.store,
      this.options.audit,
      { plan: { ...plan, ...patch }, expectedRevision },
      {
        planId: plan.id,
        entityRef: plan.entityRef,
        actor: entry.actor,
        action: entry.action,
        payload: entry.payload ?? {},
      },
    );
  }
}

/** The replicas a scale or create step leaves its Deployment with. */
function targetReplicas(step: PlanStep): number | undefined {
  const after = step.diff?.after as KubeObject | null | undefined;
  const replicas = after?.spec?.replicas;
  return typeof replicas === 'number' ? replicas : undefined;
}
