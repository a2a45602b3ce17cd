import type { V1Pod } from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from '../types';
import { compact, eventsFor, ownerEvidence, workloadOf } from '../common';
import { missingConfig } from './config';
import { crash } from './crashLoop';
import { createError } from './createError';
import { exited } from './exited';
import { recovered } from './history';
import { imagePull } from './imagePull';
import { isReplacedPod, leftovers } from './leftovers';
import { initStuck } from './initStuck';
import { sandboxFailed, volumeMountFailed } from './notStarted';
import { probe } from './probes';
import { unschedulable } from './scheduling';
import { containersOf, NAME, PodScope } from './scope';
import { stuckTerminating } from './terminating';

export { configReferencesOf } from './config';
export { missingVariableOf, RESTART_WONT_HELP } from './crashLoop';
export type { ConfigReference } from './config';

/**
 * Pods, one file per failure family: scheduling, image pulls, crash loops
 * (exit codes, liveness, OOM), probes, missing ConfigMaps/Secrets.
 */
export const podAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['Pod'],
  analyze(ctx) {
    return [
      ...ctx.pods.flatMap(pod => analyzePod(ctx, pod)),
      ...leftovers(ctx),
    ];
  },
};

/** Pods whose own state says nothing about the present of the workload. */
function notCurrent(pod: V1Pod): boolean {
  // A completed pod (a finished Job's) has nothing left to go wrong.
  if (pod.status?.phase === 'Succeeded') return true;
  // A Job's failed pods are its attempts: the Job analyzer judges the Job
  // (a retry that succeeded leaves a failed pod behind and is healthy).
  const owner = pod.metadata?.ownerReferences?.find(o => o.controller);
  if (pod.status?.phase === 'Failed' && owner?.kind === 'Job') return true;
  // Replaced by its controller: housekeeping, reported per workload.
  if (isReplacedPod(pod)) return true;
  // Being deleted (a rolling update, a scale-down): it stops serving and its
  // probes fail on purpose while it drains.
  return !!pod.metadata?.deletionTimestamp;
}

function analyzePod(ctx: AnalysisContext, pod: V1Pod): Finding[] {
  const stuck = pod.metadata?.deletionTimestamp
    ? stuckTerminating(scopeOf(ctx, pod))
    : undefined;
  if (stuck) return [stuck];
  if (notCurrent(pod)) return [];
  const scope = scopeOf(ctx, pod);
  const findings = compact([
    unschedulable(scope),
    sandboxFailed(scope),
    volumeMountFailed(scope),
  ]);
  for (const c of containersOf(pod)) {
    const down =
      crash(scope, c) ??
      exited(scope, c) ??
      createError(scope, c) ??
      initStuck(scope, c);
    findings.push(
      ...compact([
        imagePull(scope, c),
        down ?? recovered(scope, c),
        probe(scope, c),
      ]),
    );
  }
  findings.push(...missingConfig(scope));
  return findings;
}

function scopeOf(ctx: AnalysisContext, pod: V1Pod): PodScope {
  const owner = workloadOf(ctx, pod);
  return {
    ctx,
    pod,
    owner,
    events: eventsFor(
      ctx,
      'Pod',
      pod.metadata?.namespace,
      pod.metadata?.name ?? '',
    ),
    base: owner ? [ownerEvidence(owner)] : [],
  };
}
