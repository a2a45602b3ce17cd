/**
 * The phases of a blue-green plan, generated from its parts: the rollout
 * steps, the rollback steps and the words that say when traffic moves.
 */
import {
  CreateBlueGreenPlanRequest,
  PlanStep,
  ResourceRef,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { blueGreenSelectors } from '../changes/canaryObject';
import type { KubeObject } from '../kubernetes/types';
import { CanaryAnalysisDefaults, stepRisk } from './canaryPlan';

/** How long green (and blue, on a rollback) may take to become available. */
export const GREEN_READY_TIMEOUT_SECONDS = 90;

type Ref = Required<Pick<ResourceRef, 'cluster' | 'namespace' | 'name'>>;

/** What the phases of a blue-green are generated from. */
export type BlueGreenParts = {
  request: CreateBlueGreenPlanRequest;
  target: Ref;
  name: string;
  image: string;
  container: { name: string; image: string };
  stableReplicas: number;
  serviceName: string;
  blueHash: string;
  selectors: ReturnType<typeof blueGreenSelectors>;
  svc: (selector: Record<string, string>) => KubeObject;
  blueRef: ResourceRef;
  greenRef: ResourceRef;
  serviceRef: ResourceRef;
  green: KubeObject;
  preSwitch: PlanStep[];
  bake: PlanStep[];
  analysis: CanaryAnalysisDefaults;
};

/** Pin, create green, gates, (confirm), switch, bake, remove blue. */
export function rolloutSteps(parts: BlueGreenParts): PlanStep[] {
  const {
    request,
    target,
    name,
    image,
    stableReplicas,
    serviceName,
    blueHash,
  } = parts;
  const {
    selectors,
    svc,
    blueRef,
    greenRef,
    serviceRef,
    green,
    preSwitch,
    bake,
  } = parts;
  return [
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
  ];
}

/** Rollback, in this order, each only if what it undoes happened. */
export function rollbackSteps(parts: BlueGreenParts): PlanStep[] {
  const { target, name, container, stableReplicas, serviceName } = parts;
  const { selectors, svc, blueRef, greenRef, serviceRef } = parts;
  return [
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
}

/** When traffic moves and how to go back, in words for the review. */
export function trafficWords(parts: BlueGreenParts): string {
  const {
    request,
    target,
    name,
    image,
    container,
    stableReplicas,
    serviceName,
    preSwitch,
  } = parts;
  let before = 'as soon as green is available (no gate was asked for)';
  if (preSwitch.length > 0) {
    before = `after green's gates pass${
      request.confirmSwitch ? ' and a person confirms' : ''
    }`;
  } else if (request.confirmSwitch) {
    before = 'when a person confirms';
  }
  return [
    `Traffic moves once, at step "switch-service": all of Service ${serviceName}'s requests go from ${target.name} (${container.image}) to ${name} (${image}) at once, ${before}. Until then green takes no traffic.`,
    `To go back: before the switch, a failed gate or a declined confirmation deletes green and gives the Service its selector back; nobody is affected. After the switch and until blue is removed, a failed bake gate switches the Service back to blue, which is still running, in one write. After the plan completes, "Revert" scales ${target.name} back to ${stableReplicas}, waits until it is available, switches the Service back and deletes green.`,
  ].join('\n');
}
