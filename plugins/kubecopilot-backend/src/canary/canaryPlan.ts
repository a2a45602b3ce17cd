import { InputError } from '@backstage/errors';
import {
  CreateCanaryPlanRequest,
  PlanGate,
  PlanStep,
  ResourceRef,
  RiskLevel,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { buildChange } from '../changes/change';
import { CanaryQueries } from '../prometheus/queries';

import type { KubeObject } from '../kubernetes/types';

export {
  buildCanaryObject,
  CANARY_PLAN_ANNOTATION,
  CANARY_TRACK_LABEL,
  canaryName,
} from '../changes/canaryObject';
import { buildCanaryObject, canaryName } from '../changes/canaryObject';

export interface CanaryAnalysisDefaults {
  delaySeconds: number;
  intervalSeconds: number;
  samples: number;
  window: string;
}

export const DEFAULT_CANARY_ANALYSIS: CanaryAnalysisDefaults = {
  delaySeconds: 30,
  intervalSeconds: 30,
  samples: 3,
  window: '1m',
};

export interface GeneratedCanary {
  /** What the plan records as `params`. */
  params: Record<string, unknown>;
  /** The stable Deployment after promotion (the plan's `diff.after`). */
  promoted: KubeObject;
  /** The canary Deployment as first created. */
  canary: KubeObject;
  steps: PlanStep[];
  /** One line per step, for the rationale. */
  summary: string;
}

/**
 * Canary replicas for a traffic share, without a service mesh: the stable
 * Deployment keeps its replicas (no capacity is taken away) and the canary
 * gets enough pods that about `percent` of all pods run the new image. The
 * Service selects both by their shared labels, so traffic follows pods.
 */
export function canaryReplicas(stable: number, percent: number): number {
  if (percent >= 100) return stable;
  return Math.max(1, Math.round((stable * percent) / (100 - percent)));
}

/** Share of pods on the new image, in whole percent. */
export function canaryShare(stable: number, canary: number): number {
  return Math.round((100 * canary) / (stable + canary));
}

/**
 * `v2` → the current image's repository with tag `v2`; anything with a `/`,
 * `:` or `@` is a full reference and used as it is.
 */
export function resolveImage(current: string, requested: string): string {
  if (/[/:@]/.test(requested)) return requested;
  const withoutDigest = current.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const repository =
    colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
  return `${repository}:${requested}`;
}

/** A step's own risk: one named rule, in words. */
export function stepRisk(
  level: RiskLevel,
  rule: string,
  message: string,
): PlanStep['risk'] {
  return {
    level,
    rationale: `${level}: [${rule}] ${message}`,
    reasons: [{ rule, level, message }],
  };
}

/** What every phase of the generator works from. */
interface CanaryParts {
  request: CreateCanaryPlanRequest;
  target: Required<Pick<ResourceRef, 'cluster' | 'namespace' | 'name'>>;
  stable: KubeObject;
  container: { name: string; image?: string };
  image: string;
  stableReplicas: number;
  weights: number[];
  name: string;
  canaryRef: ResourceRef;
  stableRef: ResourceRef;
  canary: KubeObject;
  promoted: KubeObject;
  analysis: CanaryAnalysisDefaults;
  queries: CanaryQueries;
}

/** The stable Deployment can carry a canary of this image: which container, what image. */
export function checkStable(
  request: { container?: string; image: string },
  stable: KubeObject,
  target: { name: string },
) {
  const containers: any[] = stable.spec?.template?.spec?.containers ?? [];
  if (containers.length === 0) {
    throw new InputError(`Deployment ${target.name} has no containers`);
  }
  const container = request.container
    ? containers.find(c => c.name === request.container)
    : containers[0];
  if (!container) {
    throw new InputError(
      `Deployment ${target.name} has no container '${
        request.container
      }'; its containers are: ${containers.map(c => c.name).join(', ')}`,
    );
  }
  const image = resolveImage(String(container.image ?? ''), request.image);
  if (image === container.image) {
    throw new InputError(
      `container ${container.name} of Deployment ${target.name} already runs ${image}`,
    );
  }
  const stableReplicas =
    typeof stable.spec?.replicas === 'number' ? stable.spec.replicas : 1;
  if (stableReplicas < 1) {
    throw new InputError(
      `Deployment ${target.name} is scaled to zero; a canary needs running stable pods to compare with`,
    );
  }
  if (stable.spec?.paused) {
    throw new InputError(`Deployment ${target.name} is paused`);
  }
  const selector = stable.spec?.selector;
  if (!selector?.matchLabels && !selector?.matchExpressions) {
    throw new InputError(`Deployment ${target.name} has no selector`);
  }
  return { container, image, stableReplicas };
}

/** The gate steps after a traffic share, one per SLI asked for. */
function gateSteps(parts: CanaryParts, percent: number): PlanStep[] {
  const { request, queries, analysis, name, canaryRef, target } = parts;
  const args = {
    namespace: target.namespace,
    deployment: name,
    window: analysis.window,
  };
  const timing = {
    delaySeconds: analysis.delaySeconds,
    intervalSeconds: analysis.intervalSeconds,
    samples: analysis.samples,
  };
  const gates: Array<[string, PlanGate]> = [];
  if (request.maxErrorRate !== undefined) {
    gates.push([
      'error-rate',
      {
        metric: 'error rate',
        query: queries.errorRateQuery(args),
        operator: '<=',
        threshold: request.maxErrorRate,
        unit: 'ratio',
        ...timing,
      },
    ]);
  }
  if (request.maxP99LatencyMs !== undefined) {
    gates.push([
      'p99-latency',
      {
        metric: 'p99 latency',
        query: queries.p99LatencyQuery(args),
        operator: '<=',
        threshold: request.maxP99LatencyMs / 1000,
        unit: 'seconds',
        ...timing,
      },
    ]);
  }
  return gates.map(([id, gate]) => ({
    id: `gate-${percent}-${id}`,
    type: 'gate',
    phase: 'rollout',
    title: `Check the canary's ${gate.metric} at ${percent}% (${
      gate.unit === 'ratio'
        ? `≤ ${+(gate.threshold * 100).toFixed(3)}%`
        : `≤ ${Math.round(gate.threshold * 1000)} ms`
    })`,
    resource: canaryRef,
    gate,
    onFailure: 'rollback',
    status: 'pending',
  }));
}

/** Create the canary, then scale it share by share, each share followed by its gates. */
function trafficSteps(parts: CanaryParts): PlanStep[] {
  const { weights, stableReplicas, name, image, canaryRef, canary } = parts;
  const steps: PlanStep[] = [];
  let previous: KubeObject | null = null;
  for (const [index, percent] of weights.entries()) {
    const replicas = canaryReplicas(stableReplicas, percent);
    const share = canaryShare(stableReplicas, replicas);
    if (index === 0) {
      steps.push({
        id: 'create-canary',
        type: 'action',
        phase: 'rollout',
        title: `Create Deployment ${name} with ${image}: ${replicas} replica(s) beside ${stableReplicas} stable ≈ ${share}% of pods (asked ${percent}%)`,
        action: 'create',
        resource: canaryRef,
        diff: { before: null, after: canary },
        risk: stepRisk(
          share >= 50 ? 'medium' : 'low',
          'canary-share',
          `about ${share}% of the pods, and of the traffic the Service sends them, run ${image}; the stable pods stay`,
        ),
        status: 'pending',
      });
      previous = canary;
    } else if (replicas !== previous?.spec?.replicas) {
      const scaled: KubeObject = structuredClone(previous!);
      scaled.spec.replicas = replicas;
      steps.push({
        id: `scale-canary-${percent}`,
        type: 'action',
        phase: 'rollout',
        title: `Scale ${name} to ${replicas} replica(s) ≈ ${share}% of pods (asked ${percent}%)`,
        action: 'scale',
        resource: canaryRef,
        diff: {
          before: { spec: { replicas: previous!.spec.replicas } },
          after: { spec: { replicas } },
        },
        risk: stepRisk(
          share >= 50 ? 'medium' : 'low',
          'canary-share',
          `about ${share}% of the pods, and of the traffic the Service sends them, run ${image}`,
        ),
        status: 'pending',
      });
      previous = scaled;
    }
    steps.push(...gateSteps(parts, percent));
  }
  return steps;
}

/** The optional confirmation, the promotion of the stable Deployment, the canary's removal. */
function promotionSteps(parts: CanaryParts): PlanStep[] {
  const { request, target, image, container, stableRef, stable, promoted } =
    parts;
  const { weights, name, canaryRef } = parts;
  const steps: PlanStep[] = [];
  if (request.confirmPromotion) {
    steps.push({
      id: 'confirm-promotion',
      type: 'approval',
      phase: 'rollout',
      title: `Confirm promotion of ${image} to every pod of ${target.name}`,
      onFailure: 'rollback',
      status: 'pending',
    });
  }
  steps.push({
    id: 'promote',
    type: 'action',
    phase: 'rollout',
    title: `Promote: update Deployment ${target.name} (container ${container.name}) to ${image}`,
    action: 'update',
    resource: stableRef,
    // The write is made from these typed values and the live object; the
    // diff is only shown (and stored redacted).
    params: { containers: { [container.name]: { image } } },
    diff: { before: stable, after: promoted },
    risk: stepRisk(
      'medium',
      'image-change',
      `a rolling update moves every pod of ${target.name} to ${image}`,
    ),
    status: 'pending',
  });
  if (weights.length > 0) {
    steps.push({
      id: 'remove-canary',
      type: 'action',
      phase: 'rollout',
      title: `Delete the canary Deployment ${name}`,
      action: 'delete',
      resource: canaryRef,
      risk: stepRisk(
        'low',
        'own-canary',
        `deletes only the Deployment this plan created; ${target.name} serves every request`,
      ),
      status: 'pending',
    });
  }
  return steps;
}

/** What undoes the rollout: the stable image back, the canary removed. */
function rollbackSteps(parts: CanaryParts): PlanStep[] {
  const { target, container, stableRef, stable, promoted } = parts;
  const { weights, name, canaryRef } = parts;
  const steps: PlanStep[] = [];
  steps.push({
    id: 'rollback-restore-stable',
    type: 'action',
    phase: 'rollback',
    title: `Rollback: put Deployment ${target.name} back on ${container.image}`,
    action: 'update',
    resource: stableRef,
    params: { containers: { [container.name]: { image: container.image } } },
    diff: { before: promoted, after: stable },
    undoes: ['promote'],
    risk: stepRisk(
      'medium',
      'image-change',
      `a rolling update moves every pod of ${target.name} back to ${container.image}`,
    ),
    status: 'pending',
  });
  if (weights.length > 0) {
    steps.push({
      id: 'rollback-remove-canary',
      type: 'action',
      phase: 'rollback',
      title: `Rollback: delete the canary Deployment ${name}`,
      action: 'delete',
      resource: canaryRef,
      undoes: ['create-canary'],
      risk: stepRisk(
        'low',
        'own-canary',
        `deletes only the Deployment this plan created; the stable pods take all traffic again`,
      ),
      status: 'pending',
    });
  }
  return steps;
}

/** What the plan records as `params`: the request, and what the generator decided. */
function canaryParams(parts: CanaryParts, steps: PlanStep[]) {
  const { request, image, container, name, stableReplicas, weights, analysis } =
    parts;
  const firstReplicas = canaryReplicas(stableReplicas, weights[0] ?? 100);
  const gates = steps.filter(s => s.type === 'gate').length;
  const params = {
    image,
    previousImage: container.image,
    container: container.name,
    canaryName: name,
    steps: request.steps,
    stableReplicas,
    gates,
    firstStepPercent: weights[0] ?? 100,
    firstStepActualPercent:
      weights.length > 0 ? canaryShare(stableReplicas, firstReplicas) : 100,
    ...(request.maxErrorRate !== undefined
      ? { maxErrorRate: request.maxErrorRate }
      : {}),
    ...(request.maxP99LatencyMs !== undefined
      ? { maxP99LatencyMs: request.maxP99LatencyMs }
      : {}),
    analysis,
    confirmPromotion: request.confirmPromotion,
  };
  return params;
}

/**
 * The deterministic canary generator: from the live stable Deployment and
 * the request, the ordered rollout and rollback steps. The LLM has no part
 * in it; the same inputs always give the same plan.
 *
 * Rollout: create the canary at the first share → gates → scale to the next
 * share → gates … → (confirm promotion) → promote (the stable Deployment
 * takes the new image) → remove the canary. Rollback (on a failed gate, a
 * declined confirmation or a failed write): restore the stable image if it
 * was promoted, then remove the canary if it was created.
 */
export function generateCanary(input: {
  request: CreateCanaryPlanRequest;
  stable: KubeObject;
  target: Required<Pick<ResourceRef, 'cluster' | 'namespace' | 'name'>>;
  planId: string;
  queries: CanaryQueries;
  defaults?: Partial<CanaryAnalysisDefaults>;
  now: Date;
}): GeneratedCanary {
  const { request, stable, target, planId, queries } = input;
  const analysis = {
    ...DEFAULT_CANARY_ANALYSIS,
    ...input.defaults,
    ...request.analysis,
  };
  const { container, image, stableReplicas } = checkStable(
    request,
    stable,
    target,
  );
  const weights = request.steps.filter(w => w < 100);
  const name = canaryName(target.name);
  const canary = buildCanaryObject(stable, {
    name,
    planId,
    container: container.name,
    image,
    replicas: canaryReplicas(stableReplicas, weights[0] ?? 100),
  });
  const { after: promoted } = buildChange(stable, {
    action: 'update',
    update: { containers: { [container.name]: { image } } },
  });
  const parts: CanaryParts = {
    request,
    target,
    stable,
    container,
    image,
    stableReplicas,
    weights,
    name,
    canaryRef: {
      cluster: target.cluster,
      kind: 'Deployment',
      namespace: target.namespace,
      name,
    },
    stableRef: { ...target, kind: 'Deployment' },
    canary,
    promoted: promoted!,
    analysis,
    queries,
  };
  const steps = [
    ...trafficSteps(parts),
    ...promotionSteps(parts),
    ...rollbackSteps(parts),
  ];
  const summary = steps
    .filter(s => s.phase === 'rollout')
    .map((s, i) => `${i + 1}. ${s.title}`)
    .join('\n');
  return {
    params: canaryParams(parts, steps),
    promoted: promoted!,
    canary,
    steps,
    summary,
  };
}
