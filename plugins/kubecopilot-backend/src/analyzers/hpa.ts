import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type {
  Finding,
  FindingEvidence,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from './types';
import {
  compact,
  conditionEvidence,
  eventEvidence,
  eventLastSeen,
  eventsFor,
  field,
  latestEvents,
  makeFinding,
  nowOf,
  refOf,
} from './common';
import { replicasOverridden } from './hpaFight';

const NAME = 'hpa';

/** An HPA event seen this recently is the controller's current answer. */
const RECENT_MS = 5 * 60_000;

export const hpaAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['HorizontalPodAutoscaler'],
  analyze(ctx) {
    return ctx.hpas.flatMap(h => analyzeHpa(ctx, h));
  },
};

function analyzeHpa(
  ctx: AnalysisContext,
  h: V2HorizontalPodAutoscaler,
): Finding[] {
  const findings: Finding[] = [];
  const ref = refOf('HorizontalPodAutoscaler', h);
  const id = `HorizontalPodAutoscaler ${h.metadata?.namespace}/${h.metadata?.name}`;
  const target = h.spec?.scaleTargetRef;
  const targetText = target ? `${target.kind} ${target.name}` : 'its target';
  const conds = h.status?.conditions ?? [];
  const current = h.status?.currentReplicas ?? 0;
  const max = h.spec?.maxReplicas;

  // minReplicas = maxReplicas pins the replica count on purpose: at its
  // maximum by design, not a capacity limit being hit.
  const pinned = max !== undefined && (h.spec?.minReplicas ?? 1) >= max;
  if (max !== undefined && current >= max && !pinned && !calmAtMax(h)) {
    const limited = conds.find(
      c => c.type === 'ScalingLimited' && c.status === 'True',
    );
    findings.push(
      makeFinding(NAME, ctx, {
        code: 'HpaAtMaxReplicas',
        severity: 'warning',
        resource: ref,
        message: `${id} runs ${targetText} at its maximum of ${max} replicas${
          h.status?.desiredReplicas !== undefined &&
          h.status.desiredReplicas > max
            ? ` and would scale to ${h.status.desiredReplicas}`
            : ''
        }; load above this is not absorbed.`,
        evidence: compact([
          field('status.currentReplicas', current),
          field('spec.maxReplicas', max),
          h.status?.desiredReplicas !== undefined
            ? field('status.desiredReplicas', h.status.desiredReplicas)
            : undefined,
          // Current vs target utilisation shows how far past its capacity the workload runs.
          ...utilizationEvidence(h),
          ...(limited ? conditionEvidence('status.conditions', limited) : []),
        ]),
        // The right maximum depends on capacity and cost: a human decision.
        proposedFix: {
          description: `Raise spec.maxReplicas of ${id} if the cluster has room, or make each replica of ${targetText} handle more load (resources, efficiency).`,
        },
      }),
    );
  }

  const blocked = conds.filter(
    c =>
      (c.type === 'AbleToScale' || c.type === 'ScalingActive') &&
      c.status === 'False' &&
      // The HPA pauses itself when the target is scaled to zero: intended, not a fault.
      c.reason !== 'ScalingDisabled',
  );
  const warnings = eventsFor(
    ctx,
    'HorizontalPodAutoscaler',
    h.metadata?.namespace,
    h.metadata?.name ?? '',
  ).filter(e => e.type === 'Warning');
  // Without conditions (an older controller, a partial status), metric
  // failures the controller is still reporting — its events repeat every
  // sync — say the same; older ones are history.
  const failingNow = warnings.filter(
    e =>
      /^Failed(Get\w*Metric|ComputeMetricsReplicas)$/.test(e.reason ?? '') &&
      nowOf(ctx) - eventLastSeen(e) < RECENT_MS,
  );
  const noConditions = !conds.some(c => c.type === 'ScalingActive');
  if (blocked.length > 0 || (noConditions && failingNow.length > 0)) {
    const events = latestEvents(blocked.length > 0 ? warnings : failingNow, 2);
    const text =
      blocked.length > 0
        ? blocked.map(c => c.message ?? c.reason ?? c.type).join('; ')
        : failingNow[failingNow.length - 1].message ?? 'metrics unavailable';
    findings.push(
      makeFinding(NAME, ctx, {
        code: 'HpaUnableToScale',
        severity: 'error',
        resource: ref,
        message: `${id} cannot scale ${targetText}: ${text}`,
        evidence: [
          ...blocked.flatMap(c => conditionEvidence('status.conditions', c)),
          ...events.map(eventEvidence),
        ],
        proposedFix: { description: hpaAdvice(text, targetText) },
      }),
    );
  }
  const fight = replicasOverridden(ctx, h);
  if (fight) findings.push(fight);
  return findings;
}

/**
 * At its maximum but not held back by it: the recommendation fits within
 * the range (ScalingLimited False), or, without that condition, every
 * utilization is below its target — a scale-down waiting out its
 * stabilization window after a peak.
 */
function calmAtMax(h: V2HorizontalPodAutoscaler): boolean {
  const limited = h.status?.conditions?.find(c => c.type === 'ScalingLimited');
  if (limited) return limited.status === 'False';
  const pairs = (h.status?.currentMetrics ?? []).flatMap(m => {
    const current = m.resource?.current?.averageUtilization;
    const target = h.spec?.metrics?.find(
      s => s.type === 'Resource' && s.resource?.name === m.resource?.name,
    )?.resource?.target?.averageUtilization;
    return m.type === 'Resource' &&
      current !== undefined &&
      target !== undefined
      ? [{ current, target }]
      : [];
  });
  return pairs.length > 0 && pairs.every(p => p.current < p.target);
}

function hpaAdvice(text: string, target: string): string {
  if (/missing request for/i.test(text)) {
    return `Utilization targets are relative to requests: set resources.requests for the named resource on every container of ${target}.`;
  }
  if (
    /unable to fetch metrics|metrics API|the server could not find the requested resource|no metrics returned/i.test(
      text,
    )
  ) {
    return 'The metrics pipeline gives no data: check that metrics-server (or the custom/external metrics adapter) is installed and healthy.';
  }
  if (/FailedGetScale|not found/i.test(text)) {
    return `The scale target ${target} cannot be read: check spec.scaleTargetRef (kind, name, apiVersion).`;
  }
  return `Read the HPA conditions above; the autoscaler is not adjusting ${target} until they clear.`;
}

function utilizationEvidence(h: V2HorizontalPodAutoscaler): FindingEvidence[] {
  const out: FindingEvidence[] = [];
  for (const m of h.status?.currentMetrics ?? []) {
    const name = m.resource?.name;
    const current = m.resource?.current?.averageUtilization;
    if (m.type !== 'Resource' || !name || current === undefined) continue;
    out.push(
      field(
        `status.currentMetrics[${name}].current.averageUtilization`,
        current,
      ),
    );
    const target = h.spec?.metrics?.find(
      s => s.type === 'Resource' && s.resource?.name === name,
    )?.resource?.target?.averageUtilization;
    if (target !== undefined)
      out.push(
        field(`spec.metrics[${name}].target.averageUtilization`, target),
      );
  }
  return out;
}
