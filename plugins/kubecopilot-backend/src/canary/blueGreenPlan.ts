import {
  BlueGreenParts,
  GREEN_READY_TIMEOUT_SECONDS,
  rollbackSteps,
  rolloutSteps,
  trafficWords,
} from './blueGreenPhases';
import { InputError } from '@backstage/errors';
import {
  CreateBlueGreenPlanRequest,
  PlanGate,
  PlanStep,
  ResourceRef,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  blueGreenSelectors,
  buildCanaryObject,
  CANARY_TRACK_LABEL,
  greenName,
} from '../changes/canaryObject';
import type { KubeObject } from '../kubernetes/types';
import { CanaryQueries } from '../prometheus/queries';
import {
  CanaryAnalysisDefaults,
  checkStable,
  DEFAULT_CANARY_ANALYSIS,
} from './canaryPlan';

export { GREEN_READY_TIMEOUT_SECONDS };

export interface GeneratedBlueGreen {
  params: Record<string, unknown>;
  /** The green Deployment as first created (the plan's `diff.after`). */
  green: KubeObject;
  steps: PlanStep[];
  /** One line per rollout step, for the rationale. */
  summary: string;
  /** When traffic moves and how to go back, in words. */
  traffic: string;
}

type Ref = Required<Pick<ResourceRef, 'cluster' | 'namespace' | 'name'>>;

/** The Service as a step shows it: its spec with `selector`, nothing else changed. */
function serviceState(service: KubeObject, selector: Record<string, string>) {
  return {
    metadata: { uid: service.metadata?.uid },
    spec: { ...structuredClone(service.spec ?? {}), selector },
  };
}

/** The Service's selector must select blue's pods and nothing KubeCopilot cannot move. */
function checkService(
  service: KubeObject,
  stable: KubeObject,
): Record<string, string> {
  const name = service.metadata?.name;
  const selector: Record<string, string> | undefined = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) {
    throw new InputError(`Service ${name} has no selector to switch`);
  }
  const labels: Record<string, string> =
    stable.spec?.template?.metadata?.labels ?? {};
  const misses = Object.entries(selector).filter(
    ([k, v]) => k !== 'pod-template-hash' && labels[k] !== v,
  );
  if (misses.length > 0) {
    throw new InputError(
      `Service ${name} does not select the pods of Deployment ${
        stable.metadata?.name
      } (${misses.map(([k, v]) => `${k}=${v}`).join(', ')})`,
    );
  }
  return selector;
}

/** The gates on green's pods: `prefix` names the phase (before the switch, or the bake). */
function gates(
  request: CreateBlueGreenPlanRequest,
  queries: CanaryQueries,
  args: { namespace: string; deployment: string; window: string },
  timing: Pick<PlanGate, 'delaySeconds' | 'intervalSeconds' | 'samples'>,
  phase: { id: string; when: string },
  greenRef: ResourceRef,
): PlanStep[] {
  const list: Array<[string, PlanGate, string]> = [];
  if (request.maxErrorRate !== undefined) {
    list.push([
      'error-rate',
      {
        metric: 'error rate',
        query: queries.errorRateQuery(args),
        operator: '<=',
        threshold: request.maxErrorRate,
        unit: 'ratio',
        ...timing,
      },
      `≤ ${+(request.maxErrorRate * 100).toFixed(3)}%`,
    ]);
  }
  if (request.maxP99LatencyMs !== undefined) {
    list.push([
      'p99-latency',
      {
        metric: 'p99 latency',
        query: queries.p99LatencyQuery(args),
        operator: '<=',
        threshold: request.maxP99LatencyMs / 1000,
        unit: 'seconds',
        ...timing,
      },
      `≤ ${request.maxP99LatencyMs} ms`,
    ]);
  }
  return list.map(([id, gate, bound]) => ({
    id: `${phase.id}-${id}`,
    type: 'gate',
    phase: 'rollout',
    title: `Check green's ${gate.metric} ${phase.when} (${bound})`,
    resource: greenRef,
    gate,
    onFailure: 'rollback',
    status: 'pending',
  }));
}

/**
 * The deterministic blue-green generator: from the live Deployment (blue),
 * its Service and blue's pod-template-hash, the ordered steps. No model has
 * any part in it.
 *
 * Rollout: pin the Service to blue's pods (no traffic moves) → create
 * `<name>-green` with the new image and blue's replicas, wait until all are
 * available → gates on green's pods (no traffic yet: synthetic or mirrored
 * load only) → (confirm the switch) → switch the Service to green (100% of
 * traffic at once) → bake: gates again under full traffic for
 * `bakeSeconds`, or a person's confirmation when there are no gates → scale
 * blue to 0 (kept, so a revert can bring it back).
 * Rollback (a failed gate or write, a declined confirmation): blue back to
 * its replicas if it was scaled down, the Service back to blue, green
 * deleted, the Service's own selector restored.
 */
export function generateBlueGreen(input: {
  request: CreateBlueGreenPlanRequest;
  stable: KubeObject;
  service: KubeObject;
  blueHash: string;
  target: Ref;
  planId: string;
  queries: CanaryQueries;
  defaults?: Partial<CanaryAnalysisDefaults>;
}): GeneratedBlueGreen {
  const { request, stable, service, blueHash, target, queries } = input;
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
  if (stable.spec?.template?.metadata?.labels?.[CANARY_TRACK_LABEL]) {
    // Its pods already carry the track label the switch selects on.
    throw new InputError(
      `Deployment ${target.name} was created by an earlier canary or blue-green (its pods carry ${CANARY_TRACK_LABEL}); a blue-green of it is not supported yet`,
    );
  }
  const serviceName = String(service.metadata?.name);
  const selectors = blueGreenSelectors(checkService(service, stable), blueHash);
  const name = greenName(target.name);
  const green = buildCanaryObject(stable, {
    name,
    planId: input.planId,
    container: container.name,
    image,
    replicas: stableReplicas,
    track: 'green',
  });
  const blueRef: ResourceRef = { ...target, kind: 'Deployment' };
  const greenRef: ResourceRef = { ...target, kind: 'Deployment', name };
  const serviceRef: ResourceRef = {
    ...target,
    kind: 'Service',
    name: serviceName,
  };
  const svc = (selector: Record<string, string>) =>
    serviceState(service, selector);
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
  const bakeTiming = {
    ...timing,
    delaySeconds: Math.max(
      0,
      request.bakeSeconds - analysis.intervalSeconds * analysis.samples,
    ),
  };
  const preSwitch = gates(
    request,
    queries,
    args,
    timing,
    { id: 'gate', when: 'before the switch' },
    greenRef,
  );
  const bake = gates(
    request,
    queries,
    args,
    bakeTiming,
    {
      id: 'bake',
      when: `under all traffic for ${request.bakeSeconds} s after the switch`,
    },
    greenRef,
  );

  const parts: BlueGreenParts = {
    request,
    target,
    name,
    image,
    container,
    stableReplicas,
    serviceName,
    blueHash,
    selectors,
    svc,
    blueRef,
    greenRef,
    serviceRef,
    green,
    preSwitch,
    bake,
    analysis,
  };
  const steps = [...rolloutSteps(parts), ...rollbackSteps(parts)];
  return {
    params: blueGreenParams(parts, steps),
    green,
    steps,
    summary: steps
      .filter(st => st.phase === 'rollout')
      .map((st, i) => `${i + 1}. ${st.title}`)
      .join('\n'),
    traffic: trafficWords(parts),
  };
}

function blueGreenParams(parts: BlueGreenParts, steps: PlanStep[]) {
  const {
    request,
    image,
    container,
    name,
    serviceName,
    blueHash,
    stableReplicas,
    analysis,
  } = parts;
  return {
    image,
    previousImage: container.image,
    container: container.name,
    greenName: name,
    service: serviceName,
    blueHash,
    stableReplicas,
    bakeSeconds: request.bakeSeconds,
    gates: steps.filter(s => s.type === 'gate').length,
    ...(request.maxErrorRate !== undefined
      ? { maxErrorRate: request.maxErrorRate }
      : {}),
    ...(request.maxP99LatencyMs !== undefined
      ? { maxP99LatencyMs: request.maxP99LatencyMs }
      : {}),
    analysis,
    confirmSwitch: request.confirmSwitch,
  };
}
