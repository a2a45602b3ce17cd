import type { V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import type {
  Finding,
  FindingEvidence,
  ProposedFix,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from './types';
import { compact, eventEvidence, field, makeFinding, refOf } from './common';
import { failedCreateAdvice } from './deployment';
import { Refusal, refusalOf } from './workloadRefusal';
import { notReadyPodsOf, onlyReplacing } from './workloadPods';
import { serviceMissing } from './statefulsetService';

const NAME = 'statefulset';

export const statefulSetAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['StatefulSet'],
  analyze(ctx) {
    return ctx.statefulsets.flatMap(s => {
      const governing = serviceMissing(ctx, s);
      return [...(governing ? [governing] : []), ...analyzeSet(ctx, s)];
    });
  },
};

const ordinalOf = (p: V1Pod) =>
  Number(/-(\d+)$/.exec(p.metadata?.name ?? '')?.[1] ?? -1);

/**
 * The pod a rolling update waits for: updated to the new revision and not
 * ready. The controller replaces pods from the highest ordinal down, one at
 * a time, so the lowest such ordinal is the one it is waiting on.
 */
function stuckPod(ctx: AnalysisContext, s: V1StatefulSet): V1Pod | undefined {
  const update = s.status?.updateRevision;
  return notReadyPodsOf(ctx, refOf('StatefulSet', s))
    .filter(p => p.metadata?.labels?.['controller-revision-hash'] === update)
    .sort((a, b) => ordinalOf(a) - ordinalOf(b))[0];
}

function analyzeSet(ctx: AnalysisContext, s: V1StatefulSet): Finding[] {
  const desired = s.spec?.replicas ?? 1;
  if (desired === 0) return [];
  const ready = s.status?.readyReplicas ?? 0;
  // availableReplicas honours minReadySeconds; older servers omit it.
  const available = s.status?.availableReplicas ?? ready;
  if (available >= desired) return [];
  const ref = refOf('StatefulSet', s);
  const id = `StatefulSet ${s.metadata?.namespace}/${s.metadata?.name}`;
  const rolling =
    s.status?.updateRevision !== undefined &&
    s.status.currentRevision !== s.status.updateRevision;
  const evidence: FindingEvidence[] = [
    field('spec.replicas', desired),
    field('status.readyReplicas', ready),
    field('status.availableReplicas', available),
    ...(rolling
      ? [
          field('status.currentRevision', s.status!.currentRevision ?? ''),
          field('status.updateRevision', s.status!.updateRevision ?? ''),
          field('status.updatedReplicas', s.status!.updatedReplicas ?? 0),
        ]
      : []),
  ];
  // The controller replaces (or adds) one pod at a time and waits for it to
  // be Running and Ready: one ordinal short while that pod starts is the
  // change at work.
  if (onlyReplacing(ctx, ref)) {
    return [
      makeFinding(NAME, ctx, {
        code: 'RolloutInProgress',
        severity: 'info',
        resource: ref,
        message: `${id} ${
          rolling
            ? `is rolling out revision ${s.status!.updateRevision} (${
                s.status!.updatedReplicas ?? 0
              } of ${desired} pods updated)`
            : `is scaling to ${desired} replicas`
        }: ${available} of ${desired} available while it replaces or starts a pod. A change at work, not a failure.`,
        evidence,
      }),
    ];
  }
  const refused = refusalOf(ctx, ref, (s.status?.replicas ?? 0) < desired);
  if (refused) return [refusedFinding(ctx, s, available, evidence, refused)];
  const stuck = rolling ? stuckPod(ctx, s) : undefined;
  const stuckName = stuck?.metadata?.name;
  return [
    makeFinding(NAME, ctx, {
      code: 'StatefulSetUnavailable',
      severity: available === 0 ? 'critical' : 'warning',
      resource: ref,
      message: `${id} has ${available} of ${desired} replicas available${
        rolling ? ` while rolling out revision ${s.status!.updateRevision}` : ''
      }${
        stuckName
          ? `: the rollout waits for pod ${stuckName}, which runs the new revision and is not ready, before it replaces the ${
              desired - (s.status!.updatedReplicas ?? 0)
            } pods still on ${s.status!.currentRevision}`
          : ''
      }.`,
      evidence: compact([
        ...evidence,
        stuckName ? field('stuckPod', stuckName) : undefined,
      ]),
      proposedFix: fixOf(s, stuckName),
    }),
  ];
}

/** Pods the API server refuses to create: the refusal is the cause. */
function refusedFinding(
  ctx: AnalysisContext,
  s: V1StatefulSet,
  available: number,
  evidence: FindingEvidence[],
  refused: Refusal,
): Finding {
  const desired = s.spec?.replicas ?? 1;
  return makeFinding(NAME, ctx, {
    code: 'StatefulSetUnavailable',
    severity: available === 0 ? 'critical' : 'warning',
    resource: refOf('StatefulSet', s),
    message: `StatefulSet ${s.metadata?.namespace}/${
      s.metadata?.name
    } has ${available} of ${desired} replicas available and cannot create the others (${
      s.status?.replicas ?? 0
    } of ${desired} exist): ${refused.text}.`,
    evidence: [
      ...evidence,
      field('status.replicas', s.status?.replicas ?? 0),
      eventEvidence(refused.event),
    ],
    proposedFix: {
      description: failedCreateAdvice(refused.text),
      note: 'A restart alone will not help: new pods are refused the same way until the quota, limit or policy allows them.',
    },
  });
}

function fixOf(s: V1StatefulSet, stuck: string | undefined): ProposedFix {
  const name = s.metadata?.name;
  if (stuck && s.spec?.podManagementPolicy !== 'Parallel') {
    // kubernetes.io "Forced rollback": with OrderedReady the controller keeps
    // waiting for the broken pod even after the template is reverted.
    return {
      description: `Fix the new revision (see the pod findings of ${stuck}) or roll ${name} back to revision ${s.status?.currentRevision}; after a rollback also delete pod ${stuck}: with OrderedReady pod management the controller keeps waiting for the broken pod to become ready and only recreates it from the restored template once it is deleted (forced rollback).`,
      note: 'A rollout restart will not help: it makes yet another revision that waits behind the same broken pod.',
    };
  }
  if (stuck) {
    return {
      description: `Fix the new revision (see the pod findings of ${stuck}) or roll ${name} back to revision ${s.status?.currentRevision}.`,
    };
  }
  return {
    // With OrderedReady (the default) one stuck pod holds back every later ordinal.
    description:
      s.spec?.podManagementPolicy === 'Parallel'
        ? `See the pod findings of ${name} for why its pods are not ready.`
        : `StatefulSet pods start one at a time: find the first pod of ${name} that is not ready (see its pod findings) and fix it; every later pod waits for it.`,
  };
}
