import type { V1Deployment } from '@kubernetes/client-node';
import type {
  Finding,
  Severity,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from './types';
import {
  compact,
  conditionEvidence,
  field,
  makeFinding,
  refOf,
} from './common';

const NAME = 'deployment';

export const deploymentAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['Deployment'],
  analyze(ctx) {
    return ctx.deployments.flatMap(d => analyzeDeployment(ctx, d));
  },
};

function analyzeDeployment(ctx: AnalysisContext, d: V1Deployment): Finding[] {
  const desired = d.spec?.replicas ?? 1;
  const st = d.status ?? {};
  const conds = st.conditions ?? [];
  const available = conds.find(c => c.type === 'Available');
  const progressing = conds.find(c => c.type === 'Progressing');
  const ref = refOf('Deployment', d);
  const id = `Deployment ${d.metadata?.namespace}/${d.metadata?.name}`;
  const counts = [
    field('spec.replicas', desired),
    field('status.readyReplicas', st.readyReplicas ?? 0),
    field('status.availableReplicas', st.availableReplicas ?? 0),
    ...(st.unavailableReplicas
      ? [field('status.unavailableReplicas', st.unavailableReplicas)]
      : []),
  ];
  const findings: Finding[] = [];

  if (
    progressing?.status === 'False' &&
    progressing.reason === 'ProgressDeadlineExceeded'
  ) {
    // The condition message names the stuck ReplicaSet; the pods of that
    // ReplicaSet carry the real cause in their own findings.
    findings.push(
      makeFinding(NAME, ctx, {
        code: 'ProgressDeadlineExceeded',
        severity: 'error',
        resource: ref,
        message: `${id} stopped progressing: ${
          progressing.message ?? 'the rollout exceeded progressDeadlineSeconds'
        }`,
        evidence: compact([
          ...conditionEvidence('status.conditions', progressing),
          d.spec?.progressDeadlineSeconds !== undefined
            ? field(
                'spec.progressDeadlineSeconds',
                d.spec.progressDeadlineSeconds,
              )
            : undefined,
          field('status.updatedReplicas', st.updatedReplicas ?? 0),
          ...counts,
        ]),
        proposedFix: {
          description: `The new revision's pods never became available: fix them (see the pod findings of ${d.metadata?.name}), or roll back to the previous revision (kubectl rollout undo deployment/${d.metadata?.name}).`,
        },
      }),
    );
  }

  // Scaled to zero on purpose is not unavailable.
  if (desired === 0) return findings;
  const availableNow = st.availableReplicas ?? 0;
  // Compare with the desired count, not status.unavailableReplicas: that one
  // also counts surge pods, so a fully available Deployment mid-rollout has it.
  const unavailable = Math.max(0, desired - availableNow);
  const rollingOut =
    progressing?.status === 'True' &&
    progressing.reason === 'ReplicaSetUpdated';
  // While a rollout is progressing within its deadline, unavailable replicas
  // are expected (maxUnavailable); only Available=False is a problem then.
  if (available?.status === 'False' || (unavailable > 0 && !rollingOut)) {
    findings.push(
      makeFinding(NAME, ctx, {
        code: 'DeploymentUnavailable',
        severity: unavailableSeverity(
          availableNow,
          available?.status === 'False',
        ),
        resource: ref,
        message:
          availableNow === 0
            ? `${id} has no available replicas (0 of ${desired}): it serves no traffic.`
            : `${id} has ${availableNow} of ${desired} replicas available${
                available?.status === 'False'
                  ? ', below its minimum availability'
                  : ''
              }.`,
        evidence: [
          ...(available
            ? conditionEvidence('status.conditions', available)
            : []),
          ...counts,
        ],
        proposedFix: {
          description: `The Deployment's pods are not becoming available: see the pod findings of ${d.metadata?.name} for the cause (crash, image, scheduling, probes).`,
        },
      }),
    );
  }
  return findings;
}

/** No replica serving is an outage; below minimum availability is an error; fewer than desired is a warning. */
function unavailableSeverity(
  available: number,
  belowMinimum: boolean,
): Severity {
  if (available === 0) return 'critical';
  return belowMinimum ? 'error' : 'warning';
}
