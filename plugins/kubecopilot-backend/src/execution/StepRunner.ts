import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  isSameActor,
  OperationPlan,
  PlanExecution,
  PlanStep,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AuditStore } from '../audit/types';
import { KubernetesBackendClient } from '../kubernetes/types';
import { nextStatus } from '../plans/lifecycle';
import { PlanNotifier } from '../plans/PlanNotifier';
import { recordChange } from '../plans/recordChange';
import { PlanStore } from '../plans/types';
import { MetricsClient } from '../prometheus/PrometheusClient';
import { ApplyOutcome } from './applyChange';
import { GateStep, RUNNER_ACTOR, stepDeadline, StepResult } from './GateStep';
import { StepApplier } from './StepApplier';
import { StepRecorder } from './StepRecorder';

export { RUNNER_ACTOR } from './GateStep';

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

  private readonly records: StepRecorder;
  private readonly applier: StepApplier;
  private readonly gates: GateStep;

  constructor(private readonly options: StepRunnerOptions) {
    this.now = options.now ?? (() => new Date());
    this.records = new StepRecorder(options);
    this.applier = new StepApplier(options);
    this.gates = new GateStep({
      ...options,
      records: this.records,
      now: this.now,
      signal: this.stopping.signal,
    });
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
        claimed = await this.records.changeStep(
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
          ? await this.gates.run(claimed, step)
          : await this.runAction(claimed, step);
      const latest = (await this.options.store.getPlan(planId))!.plan;
      const finishedAt = this.now().toISOString();
      const done = await this.records.changeStep(
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
    const resumed = await this.records.changeStep(
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
    const declined = await this.records.changeStep(
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
  revert(
    plan: OperationPlan,
    credentials: BackstageCredentials,
  ): Promise<ApplyOutcome> {
    return this.applier.revertSteps(plan, credentials);
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
      this.now().getTime() - startedAt <
        stepDeadline(running, this.options.actionStaleAfterMs)
    ) {
      return false;
    }
    let current = plan;
    if (running) {
      let applied = false;
      if (running.type === 'action') {
        const live = await this.applier.readLive(running.resource!);
        applied = this.applier.isApplied(running, live);
      }
      current = await this.records.changeStep(
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
      const paused = await this.records.changeStep(
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

  private async runAction(
    plan: OperationPlan,
    step: PlanStep,
  ): Promise<StepResult> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const outcome = await this.applier.applyStep(plan, step, credentials);
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

  /** Runs the rollback steps of what succeeded, then fails the plan. */
  private async rollback(
    plan: OperationPlan,
    reason: string,
    ownerRef?: string,
  ): Promise<OperationPlan> {
    let current = await this.records.changePlan(
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
        current = await this.records.changeStep(
          current,
          step.id,
          { status: 'skipped', result: 'nothing to undo' },
          { action: 'plan.step-skipped', actor: RUNNER_ACTOR },
        );
        continue;
      }
      current = await this.records.changeStep(
        current,
        step.id,
        { status: 'running', startedAt: this.now().toISOString() },
        { action: 'plan.step-started', actor: RUNNER_ACTOR },
      );
      const outcome = await this.applier.applyStep(current, step, credentials);
      current = await this.records.changeStep(
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
}
