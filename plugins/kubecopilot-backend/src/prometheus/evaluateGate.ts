import {
  GateMeasurement,
  PlanGate,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { InputError, NotFoundError } from '@backstage/errors';
import { setTimeout as delay } from 'node:timers/promises';
import { MetricsClient } from './PrometheusClient';

/** The outcome of a gate. */
export interface GateEvaluation {
  passed: boolean;
  /** One per sample taken, in order. */
  measurements: GateMeasurement[];
  /** In words, e.g. `error rate 0.2% < 1% in 3 of 3 samples`. */
  message: string;
}

export interface EvaluateGateOptions {
  /** Aborting rejects promptly with the signal's reason. */
  signal?: AbortSignal;
  /** Waits `ms` (default: a timer that the signal cancels). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => Date;
  /** Called after each sample, e.g. to store progress. */
  onSample?: (measurement: GateMeasurement) => void | Promise<void>;
}

const SYMBOL: Record<PlanGate['operator'], string> = {
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
};
const NEGATION: Record<PlanGate['operator'], PlanGate['operator']> = {
  '<': '>=',
  '<=': '>',
  '>': '<=',
  '>=': '<',
};

/** Whether `value operator threshold` holds. */
export function compare(
  value: number,
  operator: PlanGate['operator'],
  threshold: number,
): boolean {
  switch (operator) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    default:
      throw new InputError(`unknown gate operator ${String(operator)}`);
  }
}

function significant(value: number, digits = 3): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 10 ** digits) return String(Math.round(value));
  return String(Number(value.toPrecision(digits)));
}

/** A value in the gate's unit: ratios as %, seconds as ms (or s from 10 s). */
export function formatGateValue(value: number, unit: PlanGate['unit']): string {
  switch (unit) {
    case 'ratio':
      return `${significant(value * 100)}%`;
    case 'seconds':
      return Math.abs(value) >= 10
        ? `${significant(value)} s`
        : `${significant(value * 1000)} ms`;
    default:
      return significant(value);
  }
}

function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      value => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      error => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** setTimeout that the signal cancels (rejecting with the signal's reason). */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}

/** Errors that repeating the query cannot fix: stop sampling at once. */
function isPermanent(error: unknown): boolean {
  return error instanceof InputError || error instanceof NotFoundError;
}

/**
 * Evaluates a gate (see `planGateSchema`): waits `delaySeconds`, then takes
 * up to `samples` samples `intervalSeconds` apart. A sample passes when
 * `value operator threshold`; no data (or a failed query) is inconclusive.
 * The first failing sample fails the gate at once; so does a query error
 * that repeating cannot fix (bad PromQL, several series, no Prometheus for
 * the cluster: an InputError or NotFoundError from the client). The gate
 * passes iff at least one sample was conclusive and none failed. Query
 * errors are kept in the message.
 */
export async function evaluateGate(
  metrics: MetricsClient,
  cluster: string,
  gate: PlanGate,
  options: EvaluateGateOptions = {},
): Promise<GateEvaluation> {
  const { signal, onSample } = options;
  const wait = options.sleep ?? sleep;
  const now = options.now ?? (() => new Date());
  const unit = gate.unit ?? 'number';
  const samples = Math.max(1, gate.samples ?? 1);
  const fmt = (value: number) => formatGateValue(value, unit);
  const measurements: GateMeasurement[] = [];
  const errors: string[] = [];

  signal?.throwIfAborted();
  if (gate.delaySeconds > 0) {
    await abortable(wait(gate.delaySeconds * 1000, signal), signal);
  }
  for (let i = 0; i < samples; i++) {
    if (i > 0) {
      await abortable(wait(gate.intervalSeconds * 1000, signal), signal);
    }
    signal?.throwIfAborted();
    let value: number | null = null;
    let stoppedBy: string | undefined;
    try {
      value = (
        await abortable(metrics.query(cluster, gate.query, { signal }), signal)
      ).value;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const message = (error as Error)?.message ?? String(error);
      errors.push(message);
      if (isPermanent(error)) stoppedBy = message;
    }
    const passed =
      value === null ? null : compare(value, gate.operator, gate.threshold);
    const measurement: GateMeasurement = {
      at: now().toISOString(),
      value,
      passed,
    };
    measurements.push(measurement);
    await abortable(Promise.resolve(onSample?.(measurement)), signal);
    if (passed === false) {
      return {
        passed: false,
        measurements,
        message: `${gate.metric} ${fmt(value!)} ${
          SYMBOL[NEGATION[gate.operator]]
        } ${fmt(gate.threshold)} at sample ${i + 1}: gate failed`,
      };
    }
    if (stoppedBy) {
      // Repeating cannot fix it, and a gate that could not take its samples
      // must not pass.
      return {
        passed: false,
        measurements,
        message: `${gate.metric}: the query failed at sample ${
          i + 1
        }: gate failed (${stoppedBy})`,
      };
    }
  }

  const conclusive = measurements.filter(m => m.passed !== null);
  const taken = measurements.length;
  const sampleWord = (n: number) => `${n} sample${n === 1 ? '' : 's'}`;
  const lastError = errors.length
    ? `; ${errors.length} of ${sampleWord(taken)} failed, last: ${
        errors[errors.length - 1]
      }`
    : '';
  if (conclusive.length === 0) {
    return {
      passed: false,
      measurements,
      message: `${gate.metric}: no data in ${sampleWord(
        taken,
      )}: gate failed (is the canary receiving traffic and scraped by Prometheus?)${lastError}`,
    };
  }
  // Report the value closest to the threshold.
  const values = conclusive.map(m => m.value!);
  const worst = gate.operator.startsWith('<')
    ? Math.max(...values)
    : Math.min(...values);
  const inconclusive = taken - conclusive.length;
  return {
    passed: true,
    measurements,
    message: `${gate.metric} ${fmt(worst)} ${SYMBOL[gate.operator]} ${fmt(
      gate.threshold,
    )} in ${conclusive.length} of ${sampleWord(samples)}${
      inconclusive ? ` (${inconclusive} without data${lastError})` : ''
    }`,
  };
}
