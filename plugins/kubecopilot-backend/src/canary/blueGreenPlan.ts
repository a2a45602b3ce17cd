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
  stepRisk,
} from './canaryPlan';

/** How long the create step waits for green to be fully available. */
export const GREEN_READY_TIMEOUT_SECONDS = 90;

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

  const steps: PlanStep[] = [
    {
      id: 'pin-service',
      type: 'action',
      phase: 'rollout',
      title: `Pin Service ${serviceName} to blue's pods (pod-template-hash ${blueHash}): no traffic moves`,
      action: 'update',
      resource: serviceRef,
      params: { selector: selectors.blue },
      diff: { before: svc(selectors.original), after: svc(selectors.blue) },
      risk: stepRisk(
        'low',
        'service-pin',
        `the Service keeps sending every request to ${target.name}'s pods; green's pods will get none before the switch`,
      ),
      status: 'pending',
    },
    {
      id: 'create-green',
      type: 'action',
      phase: 'rollout',
      title: `Create Deployment ${name} with ${image}: ${stableReplicas} replica(s), as many as blue; wait until all are available (up to ${GREEN_READY_TIMEOUT_SECONDS} s)`,
      action: 'create',
      resource: greenRef,
      params: {
        track: 'green',
        waitAvailableSeconds: GREEN_READY_TIMEOUT_SECONDS,
      },
      diff: { before: null, after: green },
      risk: stepRisk(
        'low',
        'green-no-traffic',
        `green runs ${image} beside blue and takes no traffic yet`,
      ),
      status: 'pending',
    },
    ...preSwitch,
    ...(request.confirmSwitch
      ? [
          {
            id: 'confirm-switch',
            type: 'approval' as const,
            phase: 'rollout' as const,
            title: `Confirm the switch: all of Service ${serviceName}'s traffic moves to ${name} (${image}) at once`,
            onFailure: 'rollback' as const,
            status: 'pending' as const,
          },
        ]
      : []),
    {
      id: 'switch-service',
      type: 'action',
      phase: 'rollout',
      title: `Switch Service ${serviceName} to green: 100% of the traffic moves to ${name} (${image}) at once`,
      action: 'update',
      resource: serviceRef,
      params: { selector: selectors.green, requireAvailable: name },
      diff: { before: svc(selectors.blue), after: svc(selectors.green) },
      risk: stepRisk(
        'high',
        'traffic-switch',
        `every request to Service ${serviceName} goes to ${image} from this moment; blue stays running, so switching back is one write`,
      ),
      status: 'pending',
    },
    ...(bake.length > 0
      ? bake
      : [
          {
            id: 'confirm-bake',
            type: 'approval' as const,
            phase: 'rollout' as const,
            title: `No SLI gate watches green under traffic: confirm green is healthy before blue is removed (${request.bakeSeconds} s bake asked)`,
            onFailure: 'rollback' as const,
            status: 'pending' as const,
          },
        ]),
    {
      id: 'remove-blue',
      type: 'action',
      phase: 'rollout',
      title: `Remove blue: scale Deployment ${target.name} to 0 (kept, so a revert can bring it back)`,
      action: 'scale',
      resource: blueRef,
      diff: {
        before: { spec: { replicas: stableReplicas } },
        after: { spec: { replicas: 0 } },
      },
      risk: stepRisk(
        'medium',
        'blue-removed',
        `${target.name}'s pods stop; ${name} serves every request`,
      ),
      status: 'pending',
    },
    // Rollback, in this order, each only if what it undoes happened.
    {
      id: 'rollback-restore-blue',
      type: 'action',
      phase: 'rollback',
      title: `Rollback: scale Deployment ${target.name} back to ${stableReplicas} and wait until available`,
      action: 'scale',
      resource: blueRef,
      params: { waitAvailableSeconds: GREEN_READY_TIMEOUT_SECONDS },
      diff: {
        before: { spec: { replicas: 0 } },
        after: { spec: { replicas: stableReplicas } },
      },
      undoes: ['remove-blue'],
      risk: stepRisk(
        'low',
        'blue-restored',
        `${target.name} runs ${container.image} again`,
      ),
      status: 'pending',
    },
    {
      id: 'rollback-switch-back',
      type: 'action',
      phase: 'rollback',
      title: `Rollback: switch Service ${serviceName} back to blue (${container.image}): 100% of the traffic moves back at once`,
      action: 'update',
      resource: serviceRef,
      params: { selector: selectors.blue },
      diff: { before: svc(selectors.green), after: svc(selectors.blue) },
      undoes: ['switch-service'],
      risk: stepRisk(
        'high',
        'traffic-switch',
        `every request goes back to ${target.name}'s pods`,
      ),
      status: 'pending',
    },
    {
      id: 'rollback-remove-green',
      type: 'action',
      phase: 'rollback',
      title: `Rollback: delete Deployment ${name}`,
      action: 'delete',
      resource: greenRef,
      undoes: ['create-green'],
      risk: stepRisk(
        'low',
        'own-green',
        `deletes only the Deployment this plan created; it takes no traffic`,
      ),
      status: 'pending',
    },
    {
      id: 'rollback-unpin-service',
      type: 'action',
      phase: 'rollback',
      title: `Rollback: give Service ${serviceName} its own selector back`,
      action: 'update',
      resource: serviceRef,
      params: { selector: selectors.original },
      diff: { before: svc(selectors.blue), after: svc(selectors.original) },
      undoes: ['pin-service'],
      risk: stepRisk(
        'low',
        'service-pin',
        `the Service selects ${target.name}'s pods as before the plan`,
      ),
      status: 'pending',
    },
  ];
  const summary = steps
    .filter(s => s.phase === 'rollout')
    .map((s, i) => `${i + 1}. ${s.title}`)
    .join('\n');
  let before = 'as soon as green is available (no gate was asked for)';
  if (preSwitch.length > 0) {
    before = `after green's gates pass${
      request.confirmSwitch ? ' and a person confirms' : ''
    }`;
  } else if (request.confirmSwitch) {
    before = 'when a person confirms';
  }
  const traffic = [
    `Traffic moves once, at step "switch-service": all of Service ${serviceName}'s requests go from ${target.name} (${container.image}) to ${name} (${image}) at once, ${before}. Until then green takes no traffic.`,
    `To go back: before the switch, a failed gate or a declined confirmation deletes green and gives the Service its selector back; nobody is affected. After the switch and until blue is removed, a failed bake gate switches the Service back to blue, which is still running, in one write. After the plan completes, "Revert" scales ${target.name} back to ${stableReplicas}, waits until it is available, switches the Service back and deletes green.`,
  ].join('\n');
  return {
    params: {
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
    },
    green,
    steps,
    summary,
    traffic,
  };
}
