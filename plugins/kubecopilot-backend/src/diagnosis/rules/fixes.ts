import type {
  Finding,
  ProposedFix,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from '../../analyzers';

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
  return finding.proposedFix ? [finding.proposedFix] : [];
}
