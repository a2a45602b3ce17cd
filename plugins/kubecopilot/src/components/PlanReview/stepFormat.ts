import {
  GateMeasurement,
  PlanGate,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { KubecopilotT } from '../../translation';

function trim(value: number, digits: number): string {
  return String(+value.toFixed(digits));
}

/**
 * A gate's value as people read it: a ratio as a percentage, seconds as
 * milliseconds; `null` (the query returned nothing) as "no data".
 */
export function formatGateValue(
  value: number | null | undefined,
  unit: PlanGate['unit'],
  t: KubecopilotT,
): string {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return t('steps.noData');
  }
  switch (unit) {
    case 'ratio':
      return `${trim(value * 100, 3)}%`;
    case 'seconds': {
      const ms = value * 1000;
      return `${Math.abs(ms) < 10 ? trim(ms, 2) : Math.round(ms)} ms`;
    }
    default:
      return trim(value, 4);
  }
}

const OPERATOR: Record<PlanGate['operator'], string> = {
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
};

/** What the gate requires, in words: "error rate ≤ 1%". */
export function describeThreshold(
  gate: Pick<PlanGate, 'metric' | 'operator' | 'threshold' | 'unit'>,
  t: KubecopilotT,
): string {
  return `${gate.metric} ${OPERATOR[gate.operator]} ${formatGateValue(
    gate.threshold,
    gate.unit ?? 'number',
    t,
  )}`;
}

function seconds(n: number): string {
  if (n >= 60 && n % 60 === 0) return `${n / 60} min`;
  return `${n} s`;
}

/** How the gate samples: "3 samples 10 s apart, after 30 s". */
export function describeSampling(
  gate: Pick<PlanGate, 'samples' | 'intervalSeconds' | 'delaySeconds'>,
  t: KubecopilotT,
): string {
  const samples =
    gate.samples === 1
      ? t('steps.oneSample')
      : t('steps.samplesApart', {
          count: gate.samples,
          interval: seconds(gate.intervalSeconds),
        });
  return gate.delaySeconds > 0
    ? t('steps.after', { samples, delay: seconds(gate.delaySeconds) })
    : samples;
}

/** A measurement's verdict in words. */
export function describeVerdict(
  passed: GateMeasurement['passed'],
  t: KubecopilotT,
): string {
  if (passed === true) return t('steps.verdict.pass');
  if (passed === false) return t('steps.verdict.fail');
  return t('steps.verdict.inconclusive');
}

/** How long a step took (or has been running): "45 s", "2 min 05 s". */
export function formatDuration(
  startedAt: string | undefined,
  finishedAt: string | undefined,
  now: number = Date.now(),
): string | undefined {
  if (!startedAt) return undefined;
  const start = Date.parse(startedAt);
  const end = finishedAt ? Date.parse(finishedAt) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return undefined;
  const total = Math.max(0, Math.round((end - start) / 1000));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  const rest = total % 60;
  if (minutes < 60) return `${minutes} min ${String(rest).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(
    2,
    '0',
  )} min`;
}
