import type { V1Deployment } from '@kubernetes/client-node';
import type {
  Finding,
  FindingEvidence,
  ObjectRef,
  Severity,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from './types';
import {
  ago,
  clause,
  compact,
  conditionEvidence,
  eventEvidence,
  eventsFor,
  field,
  latestEvents,
  makeFinding,
  nowOf,
  refOf,
  timeOf,
} from './common';
import { onlyStarting } from './workloadPods';

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

  const refused = failedCreate(ctx, d);
  findings.push(...refused);

  // Scaled to zero on purpose is not unavailable.
  if (desired === 0) return findings;
  const availableNow = st.availableReplicas ?? 0;
  // Compare with the desired count, not status.unavailableReplicas: that one
  // also counts surge pods, so a fully available Deployment mid-rollout has it.
  const unavailable = Math.max(0, desired - availableNow);
  const { withinDeadline, startingBelowMinimum } = deadlineState(ctx, d, ref);
  if (
    (available?.status === 'False' && !startingBelowMinimum) ||
    (unavailable > 0 && !withinDeadline)
  ) {
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
    return findings;
  }
  if (d.spec?.paused) {
    findings.push(paused(ctx, d, counts));
  } else if (withinDeadline && refused.length === 0 && rollingOrScaling(d)) {
    findings.push(inProgress(ctx, d, counts));
  }
  return findings;
}

/**
 * Whether the Deployment is within its progress deadline, and whether it is
 * below its minimum availability only because its pods are still starting.
 */
function deadlineState(ctx: AnalysisContext, d: V1Deployment, ref: ObjectRef) {
  const conditions = d.status?.conditions ?? [];
  const progressing = conditions.find(c => c.type === 'Progressing');
  const available = conditions.find(c => c.type === 'Available');
  const stalled =
    progressing?.status === 'False' &&
    progressing.reason === 'ProgressDeadlineExceeded';
  // The controller flips Progressing to False once progressDeadlineSeconds
  // pass without progress, for a scale-up as for a new revision: while it
  // is True (or Unknown, paused) the Deployment is within its deadline and
  // fewer available replicas are the change at work. Not after a completed
  // rollout (NewReplicaSetAvailable): that never times out, so a replica
  // lost since then would wait forever.
  const withinDeadline =
    (!!progressing &&
      !stalled &&
      progressing.reason !== 'NewReplicaSetAvailable') ||
    // The controller has not yet noted a scale-up: its new pods are young
    // and only starting (scheduled, pulling, warming up), none failing.
    (available?.status !== 'False' &&
      onlyStarting(ctx, ref, (d.spec?.progressDeadlineSeconds ?? 600) * 1000));
  // A rollout below its minimum availability whose pods are only starting
  // (a Deployment just created, or a Recreate rollout): within its
  // deadline that is the change at work, not yet an outage. A pod that
  // failed, or the deadline passing, makes it one.
  const startingBelowMinimum =
    available?.status === 'False' &&
    withinDeadline &&
    onlyStarting(ctx, ref, (d.spec?.progressDeadlineSeconds ?? 600) * 1000);
  return { withinDeadline, startingBelowMinimum };
}

/** Not every replica is updated and available yet. */
function rollingOrScaling(d: V1Deployment): boolean {
  const desired = d.spec?.replicas ?? 1;
  const st = d.status ?? {};
  return (
    (st.availableReplicas ?? 0) < desired ||
    (st.updatedReplicas ?? 0) < desired ||
    (st.replicas ?? 0) > desired
  );
}

function paused(
  ctx: AnalysisContext,
  d: V1Deployment,
  counts: FindingEvidence[],
): Finding {
  const name = d.metadata?.name ?? '';
  return makeFinding(NAME, ctx, {
    code: 'DeploymentPaused',
    severity: 'info',
    resource: refOf('Deployment', d),
    message: `Deployment ${
      d.metadata?.namespace
    }/${name} is paused: changes to its pod template wait until it is resumed (${
      d.status?.updatedReplicas ?? 0
    } of ${d.spec?.replicas ?? 1} replicas run the latest template).`,
    evidence: [field('spec.paused', true), ...counts],
    proposedFix: {
      description: `Resume it when the batched changes are ready: kubectl rollout resume deployment/${name}.`,
    },
  });
}

function inProgress(
  ctx: AnalysisContext,
  d: V1Deployment,
  counts: FindingEvidence[],
): Finding {
  const st = d.status ?? {};
  const desired = d.spec?.replicas ?? 1;
  const progressing = st.conditions?.find(c => c.type === 'Progressing');
  const deadline = d.spec?.progressDeadlineSeconds ?? 600;
  // After a completed rollout the condition's time is that rollout's.
  const since =
    progressing?.reason === 'NewReplicaSetAvailable'
      ? 0
      : timeOf(progressing?.lastUpdateTime as Date | string | undefined);
  const revision =
    d.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  const rolling = (st.updatedReplicas ?? 0) < desired;
  const belowMinimum = st.conditions?.some(
    c => c.type === 'Available' && c.status === 'False',
  );
  let what = `is scaling to ${desired} replicas: ${
    st.availableReplicas ?? 0
  } available so far`;
  if (rolling) {
    what = `is rolling out${revision ? ` revision ${revision}` : ''}: ${
      st.updatedReplicas ?? 0
    } of ${desired} replicas updated, ${st.availableReplicas ?? 0} available`;
  } else if (revision === '1' && !st.availableReplicas) {
    what = `is starting its first ${desired} replica${
      desired === 1 ? '' : 's'
    }`;
  }
  return makeFinding(NAME, ctx, {
    code: 'RolloutInProgress',
    severity: 'info',
    resource: refOf('Deployment', d),
    message: `Deployment ${d.metadata?.namespace}/${
      d.metadata?.name
    } ${what}. It is within its progress deadline (${deadline} s${
      since ? `, last progress ${ago(nowOf(ctx) - since)} ago` : ''
    }) and ${
      belowMinimum
        ? `its pods are still starting, none has failed: a change at work, not yet a failure. Until they are ready it has ${
            st.availableReplicas ?? 0
          } of ${desired} replicas available`
        : 'keeps its minimum availability: a change at work, not a failure'
    }.`,
    evidence: compact([
      ...(progressing
        ? conditionEvidence('status.conditions', progressing)
        : []),
      field('spec.progressDeadlineSeconds', deadline),
      field('status.updatedReplicas', st.updatedReplicas ?? 0),
      ...counts,
    ]),
  });
}

/**
 * ReplicaSets of the Deployment that cannot create their pods: the
 * ReplicaFailure condition (the present) with the FailedCreate events that
 * name the refusal (ResourceQuota, LimitRange, an admission webhook).
 */
function failedCreate(ctx: AnalysisContext, d: V1Deployment): Finding[] {
  const ns = d.metadata?.namespace;
  const uid = d.metadata?.uid;
  const owned = ctx.replicasets.filter(
    rs =>
      rs.metadata?.namespace === ns &&
      rs.metadata?.ownerReferences?.some(
        o =>
          o.kind === 'Deployment' &&
          o.name === d.metadata?.name &&
          (!uid || !o.uid || o.uid === uid),
      ),
  );
  const failing = owned.flatMap(rs => {
    const cond = rs.status?.conditions?.find(
      c => c.type === 'ReplicaFailure' && c.status === 'True',
    );
    const short = (rs.status?.replicas ?? 0) < (rs.spec?.replicas ?? 0);
    const events = eventsFor(
      ctx,
      'ReplicaSet',
      ns,
      rs.metadata?.name ?? '',
    ).filter(e => e.reason === 'FailedCreate');
    // Events outlive the refusal: only a ReplicaSet still short of pods counts.
    if (!cond && !(short && events.length > 0)) return [];
    return [{ rs, cond, events }];
  });
  if (failing.length === 0) return [];
  const { rs, cond, events } = failing[0];
  const latest = events[events.length - 1];
  const text = clause(cond?.message ?? latest?.message ?? 'FailedCreate');
  return [
    makeFinding(NAME, ctx, {
      code: 'ReplicaSetFailedCreate',
      severity: 'error',
      resource: refOf('Deployment', d),
      message: `ReplicaSet ${rs.metadata?.name} of Deployment ${ns}/${
        d.metadata?.name
      } cannot create pods (${rs.status?.replicas ?? 0} of ${
        rs.spec?.replicas ?? 0
      } exist): ${text}.`,
      evidence: compact([
        field('ReplicaSet', rs.metadata?.name ?? ''),
        ...(cond
          ? conditionEvidence(
              `ReplicaSet/${rs.metadata?.name}.status.conditions`,
              cond,
            )
          : []),
        field(
          `ReplicaSet/${rs.metadata?.name}.spec.replicas`,
          rs.spec?.replicas ?? 0,
        ),
        field(
          `ReplicaSet/${rs.metadata?.name}.status.replicas`,
          rs.status?.replicas ?? 0,
        ),
        ...latestEvents(events, 2).map(eventEvidence),
      ]),
      proposedFix: {
        description: failedCreateAdvice(text),
        note: 'A restart alone will not help: new pods are refused the same way until the quota, limit or policy allows them.',
      },
    }),
  ];
}

export function failedCreateAdvice(text: string): string {
  if (/exceeded quota/i.test(text)) {
    return "A ResourceQuota of the namespace refuses the pods: raise the quota, free capacity in the namespace, or lower the pods' requests/limits.";
  }
  if (
    /LimitRange|maximum .* usage per Container|minimum .* usage per Container|must be less than or equal to/i.test(
      text,
    )
  ) {
    return "A LimitRange of the namespace refuses the pods' resources: bring requests/limits of the pod template within its bounds.";
  }
  if (/admission webhook|denied the request|violates PodSecurity/i.test(text)) {
    return 'An admission policy (webhook or Pod Security) denies the pods: change the pod template to satisfy it, or ask its owners for an exception.';
  }
  if (/serviceaccount|service account/i.test(text)) {
    return 'The pods name a ServiceAccount that does not exist: create it or fix serviceAccountName.';
  }
  return 'Read the refusal above and change the pod template, or the namespace policy that refuses it.';
}

/** No replica serving is an outage; below minimum availability is an error; fewer than desired is a warning. */
function unavailableSeverity(
  available: number,
  belowMinimum: boolean,
): Severity {
  if (available === 0) return 'critical';
  return belowMinimum ? 'error' : 'warning';
}
