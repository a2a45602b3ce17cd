import type {
  Finding,
  ProposedFix,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AnalysisContext, workloadOf } from '../../analyzers';
import { revisionsOf, rollbackTarget } from '../../changes/rollback';
import type { KubeObject } from '../../kubernetes/types';

/** What `fixesFor` may look at besides the finding itself. */
export interface FixContext {
  /** The finding's cluster, as gathered; absent when it was not read. */
  ctx?: AnalysisContext;
  /** Every finding of the diagnosis, linked by `linkFindings`. */
  findings: Finding[];
}

/**
 * The plans that can help with one finding, best first, each with why; an
 * empty list when the finding is a symptom whose cause carries the fixes.
 *
 * Per kind, as the analyzers propose them: a crash caused by code or
 * configuration, an image that cannot be pulled and a pod that cannot be
 * scheduled say what would help and carry a `note` on why a restart will
 * not; a readiness failure may offer a restart (pods can stay stuck after a
 * dependency recovered); a missing ConfigMap/Secret needs the object, after
 * which the kubelet retries by itself.
 *
 * The place for rollout-aware plans: when the failure started with the
 * workload's latest rollout and the previous revision was healthy (its
 * ReplicaSet, in `context.ctx.replicasets`, ran ready pods), a `rollback`
 * plan to that revision ("Roll back Deployment checkout to revision 1
 * (2.2.0)") goes first here, before the analyzer's advice.
 */
export function fixesFor(finding: Finding, context: FixContext): ProposedFix[] {
  if (
    finding.causedBy &&
    context.findings.some(f => f.id === finding.causedBy)
  ) {
    return [];
  }
  const rollback = rollbackFix(finding, context.ctx);
  return [
    ...(rollback ? [rollback] : []),
    ...(finding.proposedFix ? [finding.proposedFix] : []),
  ];
}

/** Pod failures a return to the previous pod template can end. */
const ROLLBACK_HELPS = new Set([
  'CrashLoopBackOff',
  'ContainerExited',
  'ImagePullBackOff',
  'OOMKilled',
  'ProbeFailure',
  'MissingConfigMap',
  'MissingSecret',
  'CreateContainerConfigError',
]);

/**
 * "Roll back Deployment checkout to revision 1": offered for a failing pod
 * of a Deployment's current revision (the latest rollout) when an earlier
 * revision exists whose template differs and none of whose pods fail now —
 * the change an SRE makes first when a release breaks, before debugging it.
 */
function rollbackFix(
  finding: Finding,
  ctx: AnalysisContext | undefined,
): ProposedFix | undefined {
  if (
    !ctx ||
    finding.resource.kind !== 'Pod' ||
    !ROLLBACK_HELPS.has(finding.code)
  ) {
    return undefined;
  }
  const pod = ctx.pods.find(
    p =>
      p.metadata?.name === finding.resource.name &&
      p.metadata?.namespace === finding.resource.namespace,
  );
  const owner = pod && workloadOf(ctx, pod)?.ref;
  if (!pod || owner?.kind !== 'Deployment') return undefined;
  const deployment = ctx.deployments.find(
    d =>
      d.metadata?.name === owner.name &&
      d.metadata?.namespace === owner.namespace,
  ) as KubeObject | undefined;
  if (!deployment) return undefined;
  const revisions = revisionsOf(
    deployment,
    ctx.replicasets as unknown as KubeObject[],
  );
  // The failing pod must run the current template: a failure of an old
  // revision is not the latest rollout's doing.
  const podHash = pod.metadata?.labels?.['pod-template-hash'];
  const currentRs = ctx.replicasets.find(
    r =>
      r.metadata?.namespace === pod.metadata?.namespace &&
      r.metadata?.labels?.['pod-template-hash'] === podHash,
  );
  const newest = Math.max(...revisions.map(r => r.revision));
  const podRevision = Number(
    currentRs?.metadata?.annotations?.['deployment.kubernetes.io/revision'],
  );
  if (!podHash || podRevision !== newest) return undefined;
  let target;
  try {
    target = rollbackTarget(deployment, {}, revisions);
  } catch {
    return undefined; // no earlier revision, or paused
  }
  const failingOld = ctx.pods.some(p => {
    const rs = ctx.replicasets.find(
      r =>
        r.metadata?.labels?.['pod-template-hash'] ===
        p.metadata?.labels?.['pod-template-hash'],
    );
    const revision = Number(
      rs?.metadata?.annotations?.['deployment.kubernetes.io/revision'],
    );
    return (
      revision === target.toRevision &&
      (p.status?.containerStatuses ?? []).some(
        c => c.ready === false && (c.restartCount ?? 0) > 0,
      )
    );
  });
  if (failingOld) return undefined;
  const images = (t: any) =>
    (t?.spec?.containers ?? []).map((c: any) => c.image).join(', ');
  return {
    description: `Roll back Deployment ${owner.name} to revision ${
      target.toRevision
    } (${images(
      target.template,
    )}), the template that ran before the rollout that started this failure (like kubectl rollout undo)`,
    action: 'rollback',
    target: {
      kind: 'Deployment',
      namespace: owner.namespace,
      name: owner.name,
    },
    params: { toRevision: target.toRevision },
  };
}
