import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  PlanStep,
  ResourceRef,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { isFullyAvailable } from '../changes/canaryObject';
import { canonicalJson } from '../audit/canonical';
import { specDrift } from '../changes/drift';
import { objectPath } from '../changes/kinds';
import { KubernetesBackendClient } from '../kubernetes/types';
import {
  ApplyOutcome,
  applyChange,
  KubeObject,
  readObject,
} from './applyChange';

/** A step that replaces a Service's selector (a blue-green pin, switch or switch back). */
export function isSelectorStep(step: PlanStep): boolean {
  return (
    step.type === 'action' &&
    step.action === 'update' &&
    step.resource?.kind === 'Service' &&
    !!step.params?.selector &&
    typeof step.params.selector === 'object'
  );
}

const failure = (message: string): ApplyOutcome => ({
  ok: false,
  error: new ConflictError(message),
  execution: { outcome: 'failed', message },
});

/**
 * One drift-checked write of a Service's selector: the live Service must
 * still be exactly as the plan showed it before this step (its whole spec),
 * the write replaces the selector only, with the live resourceVersion as a
 * precondition. A switch to green first checks that green is fully
 * available, so traffic never moves to pods that cannot take it.
 */
export async function switchSelector(
  kubernetes: KubernetesBackendClient,
  step: PlanStep,
  credentials: BackstageCredentials,
): Promise<ApplyOutcome> {
  const resource = step.resource!;
  const selector = step.params!.selector as Record<string, string>;
  const required = step.params?.requireAvailable;
  if (typeof required === 'string') {
    const green = await readObject(
      kubernetes,
      { ...resource, kind: 'Deployment', name: required },
      credentials,
    ).catch(() => null);
    if (!isFullyAvailable(green)) {
      return failure(
        `Deployment ${required} is not fully available (${
          green?.status?.availableReplicas ?? 0
        } of ${
          green?.spec?.replicas ?? '?'
        } replicas); the Service was not switched`,
      );
    }
  }
  const expected = step.diff?.before as KubeObject | null | undefined;
  return applyChange(kubernetes, {
    resource,
    credentials,
    alreadyApplied: live =>
      canonicalJson(live?.spec?.selector ?? null) === canonicalJson(selector),
    checkDrift: live =>
      live ? specDrift(expected, live) : ['it no longer exists'],
    write: live => ({
      cluster: resource.cluster,
      path: objectPath(resource),
      method: 'PUT',
      body: { ...live, spec: { ...live!.spec, selector } },
    }),
    isApplied: live =>
      canonicalJson(live?.spec?.selector ?? null) === canonicalJson(selector),
  });
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * After a step that creates or scales up a Deployment: wait until it is
 * fully available, or fail the step after `seconds` (then the rollback runs).
 */
export async function waitAvailable(
  kubernetes: KubernetesBackendClient,
  resource: ResourceRef,
  seconds: number,
  credentials: BackstageCredentials,
): Promise<string | undefined> {
  const deadline = Date.now() + seconds * 1000;
  let live: KubeObject | null = null;
  for (;;) {
    const last: KubeObject | null = live;
    live = await readObject(kubernetes, resource, credentials).catch(
      () => last,
    );
    if (isFullyAvailable(live)) return undefined;
    if (Date.now() > deadline) {
      return `Deployment ${resource.name} has ${
        live?.status?.availableReplicas ?? 0
      } of ${
        live?.spec?.replicas ?? '?'
      } replicas available after ${seconds} s`;
    }
    await sleep(1000);
  }
}
