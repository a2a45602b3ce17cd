/**
 * What the simulated kubelet writes into a pod's status, as a real kubelet
 * words it: container and image ids, termination reasons, back-off
 * messages, and the conditions in the order the API server returns them.
 */
import { createHash } from 'node:crypto';
import { KubeObject } from '../types';
import { setCondition } from './context';
import { Behavior, ImageBehaviorRule } from './images';
import { clone, rfc3339 } from '../util';

export interface ContainerPlan {
  name: string;
  image: string;
  behavior: Behavior | 'ConfigError';
  rule?: ImageBehaviorRule;
  message?: string;
  exitCode: number;
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function containerId(
  podUid: string,
  name: string,
  restart: number,
): string {
  return `containerd://${sha(`${podUid}/${name}/${restart}`)}`;
}

export function imageId(image: string): string {
  const repo = image.split('@')[0].replace(/:[^/:]+$/, '');
  const full = repo.includes('/') ? repo : `docker.io/library/${repo}`;
  return `${full}@sha256:${sha(image)}`;
}

export function terminationReason(plan: ContainerPlan): string {
  if (plan.behavior === 'OOMKilled') return 'OOMKilled';
  return plan.exitCode === 0 ? 'Completed' : 'Error';
}

export function backoffMessage(
  backoff: number,
  container: string,
  pod: KubeObject,
): string {
  const b =
    backoff >= 60
      ? `${Math.floor(backoff / 60)}m${
          backoff % 60 ? `${backoff % 60}s` : '0s'
        }`
      : `${backoff}s`;
  return `back-off ${b} restarting failed container=${container} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

const CONDITION_ORDER = [
  'PodReadyToStartContainers',
  'Initialized',
  'Ready',
  'ContainersReady',
  'PodScheduled',
];

export function orderConditions(conds: any[]): any[] {
  return [...conds].sort((a, b) => {
    const ia = CONDITION_ORDER.indexOf(a?.type);
    const ib = CONDITION_ORDER.indexOf(b?.type);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
}

/** Pod phase and conditions from the container statuses, as the kubelet computes them. */
export function assembleStatus(
  pod: KubeObject,
  statuses: any[],
  initStatuses: any[] | undefined,
  initialized: boolean,
) {
  const now = rfc3339();
  const status = clone(pod.status ?? {});
  status.containerStatuses = statuses;
  if (initStatuses) status.initContainerStatuses = initStatuses;
  const restartPolicy = pod.spec?.restartPolicy ?? 'Always';
  const allTerminated =
    statuses.length > 0 && statuses.every(s => s.state?.terminated);
  let phase: string;
  if (!initialized) phase = 'Pending';
  else if (allTerminated && restartPolicy !== 'Always') {
    phase = statuses.every(s => s.state.terminated.exitCode === 0)
      ? 'Succeeded'
      : 'Failed';
  } else if (statuses.some(s => s.state?.waiting && !s.lastState?.terminated))
    phase = 'Pending';
  else phase = 'Running';
  status.phase = phase;
  const unready = statuses.filter(s => !s.ready).map(s => s.name);
  const ready = unready.length === 0;
  let conds = status.conditions ?? [];
  conds = setCondition(
    conds,
    { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null },
    now,
  );
  conds = setCondition(
    conds,
    initialized
      ? { type: 'Initialized', status: 'True', lastProbeTime: null }
      : {
          type: 'Initialized',
          status: 'False',
          lastProbeTime: null,
          reason: 'ContainersNotInitialized',
          message: `containers with incomplete status: [${(initStatuses ?? [])
            .filter(
              s => !s.state?.terminated || s.state.terminated.exitCode !== 0,
            )
            .map(s => s.name)
            .join(' ')}]`,
        },
    now,
  );
  const podCompleted = phase === 'Succeeded' || phase === 'Failed';
  const readyCond = ready
    ? { type: 'Ready', status: 'True', lastProbeTime: null }
    : {
        type: 'Ready',
        status: 'False',
        lastProbeTime: null,
        reason: podCompleted ? 'PodCompleted' : 'ContainersNotReady',
        message: podCompleted
          ? undefined
          : `containers with unready status: [${unready.join(' ')}]`,
      };
  const containersReadyCond = { ...readyCond, type: 'ContainersReady' };
  for (const c of [readyCond, containersReadyCond])
    if (c.message === undefined) delete (c as any).message;
  conds = setCondition(conds, readyCond, now);
  conds = setCondition(conds, containersReadyCond, now);
  status.conditions = orderConditions(
    conds.map((c: any) => {
      // conditions that became True drop their reason/message
      if (c.status === 'True') {
        const { reason, message, ...rest } = c;
        return rest;
      }
      return c;
    }),
  );
  return status;
}
