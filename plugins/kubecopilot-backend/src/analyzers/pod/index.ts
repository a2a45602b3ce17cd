import type { V1Pod } from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from '../types';
import { compact, eventsFor, ownerEvidence, workloadOf } from '../common';
import { missingConfig } from './config';
import { crash } from './crashLoop';
import { imagePull } from './imagePull';
import { probe } from './probes';
import { unschedulable } from './scheduling';
import { containersOf, NAME, PodScope } from './scope';

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
    return ctx.pods.flatMap(pod => analyzePod(ctx, pod));
  },
};

function analyzePod(ctx: AnalysisContext, pod: V1Pod): Finding[] {
  // A completed pod (a finished Job's) has nothing left to go wrong.
  if (pod.status?.phase === 'Succeeded') return [];
  const owner = workloadOf(ctx, pod);
  const scope: PodScope = {
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
  const findings = compact([unschedulable(scope)]);
  for (const c of containersOf(pod)) {
    findings.push(
      ...compact([imagePull(scope, c), crash(scope, c), probe(scope, c)]),
    );
  }
  findings.push(...missingConfig(scope));
  return findings;
}
