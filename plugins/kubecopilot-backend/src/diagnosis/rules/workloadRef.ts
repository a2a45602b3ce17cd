import type {
  Finding,
  ObjectRef,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AnalysisContext, workloadOf } from '../../analyzers';

/** The workload a human thinks in for a finding: a pod's Deployment, say. */
export function workloadRefOf(
  finding: Finding,
  contexts: AnalysisContext[],
): ObjectRef {
  const r = finding.resource;
  const ctx = contexts.find(c => c.cluster === finding.cluster);
  if (!ctx) return r;
  if (r.kind === 'Pod') {
    const pod = ctx.pods.find(
      p => p.metadata?.name === r.name && p.metadata?.namespace === r.namespace,
    );
    return (pod && workloadOf(ctx, pod)?.ref) ?? r;
  }
  if (r.kind === 'ReplicaSet') {
    const rs = ctx.replicasets.find(
      x => x.metadata?.name === r.name && x.metadata?.namespace === r.namespace,
    );
    const owner = rs?.metadata?.ownerReferences?.find(o => o.controller);
    if (owner?.kind === 'Deployment') {
      return { kind: 'Deployment', namespace: r.namespace, name: owner.name };
    }
  }
  return r;
}
