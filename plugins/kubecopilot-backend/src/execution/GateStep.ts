import {
  GateMeasurement,
  OperationPlan,
  PlanStep,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { PlanNotifier } from '../plans/PlanNotifier';
import { PlanStore } from '../plans/types';
import { evaluateGate } from '../prometheus/evaluateGate';
import { MetricsClient } from '../prometheus/PrometheusClient';
import { StepRecorder } from './StepRecorder';

/** Who the runner acts as in the audit log when no person is driving. */
export const RUNNER_ACTOR = 'plugin:kubecopilot';

/** A step's outcome, and what it adds to the step. */
export type StepResult =
  | { ok: true; patch: Partial<PlanStep> }
  | { ok: false; message: string; patch: Partial<PlanStep> };

export interface GateStepOptions {
  metrics: MetricsClient;
  store: PlanStore;
  records: StepRecorder;
  notifier: PlanNotifier;
  now: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Aborted at shutdown: a gate stops waiting, the plan is reconciled later. */
  signal: AbortSignal;
}

/**
 * How long a running step may go without news before crash recovery takes
 * it over: an action's own allowance, plus a gate's whole sampling time.
 */
export function stepDeadline(step: PlanStep, staleAfterMs = 120_000): number {
  if (step.type === 'gate' && step.gate) {
    const { delaySeconds, intervalSeconds, samples } = step.gate;
    return (delaySeconds + intervalSeconds * samples) * 1000 + staleAfterMs;
  }
  return staleAfterMs;
}

/**
 * A gate step: sample the PromQL query against the cluster's Prometheus,
 * each sample its own audit entry, and pass or fail on the threshold.
 */
export class GateStep {
  constructor(private readonly options: GateStepOptions) {}

  async run(
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
          signal: this.options.signal,
          ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
          now: this.options.now,
          onSample: async (sample: GateMeasurement) => {
            measurements.push(sample);
            const latest = (await this.options.store.getPlan(plan.id))!.plan;
            const saved = await this.options.records.changeStep(
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
}
