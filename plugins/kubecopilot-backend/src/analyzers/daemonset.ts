import type { V1DaemonSet } from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from './types';
import { eventEvidence, field, makeFinding, refOf } from './common';
import { failedCreateAdvice } from './deployment';
import { refusalOf } from './workloadRefusal';
import { onlyReplacing } from './workloadPods';

const NAME = 'daemonset';

export const daemonSetAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['DaemonSet'],
  analyze(ctx) {
    return ctx.daemonsets.flatMap(ds => [
      ...unavailableOn(ctx, ds),
      ...misscheduled(ctx, ds),
    ]);
  },
};

/**
 * Pods running on nodes the DaemonSet would no longer place them on: a
 * NoSchedule taint added to the node after the pod started (it keeps
 * running; a replacement would not be placed), or a nodeSelector/affinity
 * that no longer matches. Information: nothing is down because of it.
 */
function misscheduled(ctx: AnalysisContext, ds: V1DaemonSet): Finding[] {
  const n = ds.status?.numberMisscheduled ?? 0;
  if (n === 0) return [];
  const id = `DaemonSet ${ds.metadata?.namespace}/${ds.metadata?.name}`;
  return [
    makeFinding(NAME, ctx, {
      code: 'DaemonSetMisscheduled',
      severity: 'info',
      resource: refOf('DaemonSet', ds),
      message: `${id} runs ${n} ${
        n === 1 ? 'pod' : 'pods'
      } on nodes it would no longer schedule onto (a taint it does not tolerate, or a node selector/affinity that no longer matches); ${
        n === 1 ? 'it keeps' : 'they keep'
      } running, but a replacement would not be placed there.`,
      evidence: [
        field('status.numberMisscheduled', n),
        field(
          'status.desiredNumberScheduled',
          ds.status?.desiredNumberScheduled ?? 0,
        ),
        field(
          'status.currentNumberScheduled',
          ds.status?.currentNumberScheduled ?? 0,
        ),
      ],
      proposedFix: {
        description: `If ${id} should run on those nodes, add a toleration for their taints (or fix its node selector); if not, delete its pods there.`,
      },
    }),
  ];
}

function rolloutState(updated: number | undefined, desired: number): string {
  if (updated === undefined) return 'is placing its pods';
  if (updated < desired) {
    return `is rolling out its template (${updated} of ${desired} nodes updated)`;
  }
  return `runs its latest template on all ${desired} nodes`;
}

function unavailableOn(ctx: AnalysisContext, ds: V1DaemonSet): Finding[] {
  const st = ds.status;
  const desired = st?.desiredNumberScheduled ?? 0;
  if (desired === 0) return [];
  const available = st?.numberAvailable ?? 0;
  const unavailable = st?.numberUnavailable ?? Math.max(0, desired - available);
  if (unavailable === 0) return [];
  const ref = refOf('DaemonSet', ds);
  const id = `DaemonSet ${ds.metadata?.namespace}/${ds.metadata?.name}`;
  const updated = st?.updatedNumberScheduled;
  const rolling = updated !== undefined && updated < desired;
  const evidence = [
    field('status.desiredNumberScheduled', desired),
    field('status.numberReady', st?.numberReady ?? 0),
    field('status.numberAvailable', available),
    field('status.numberUnavailable', unavailable),
    ...(rolling ? [field('status.updatedNumberScheduled', updated)] : []),
    ...(st?.numberMisscheduled
      ? [field('status.numberMisscheduled', st.numberMisscheduled)]
      : []),
  ];
  // A rolling update replaces the pod of a node at a time (maxUnavailable)
  // and a new node gets its pod: unavailable while that pod starts.
  if (onlyReplacing(ctx, ref)) {
    return [
      makeFinding(NAME, ctx, {
        code: 'RolloutInProgress',
        severity: 'info',
        resource: ref,
        message: `${id} ${rolloutState(
          updated,
          desired,
        )}: unavailable on ${unavailable} of ${desired} nodes while it replaces or starts ${
          unavailable === 1 ? 'a pod' : 'pods'
        } there. A change at work, not a failure.`,
        evidence,
      }),
    ];
  }
  const name = ds.metadata?.name;
  const refused = refusalOf(
    ctx,
    ref,
    (st?.currentNumberScheduled ?? 0) < desired,
  );
  if (refused) {
    return [
      makeFinding(NAME, ctx, {
        code: 'DaemonSetUnavailable',
        severity: available === 0 ? 'critical' : 'warning',
        resource: ref,
        message: `${id} is unavailable on ${unavailable} of ${desired} nodes and cannot create its pods on ${
          desired - (st?.currentNumberScheduled ?? 0)
        } of them: ${refused.text}.`,
        evidence: [
          ...evidence,
          field(
            'status.currentNumberScheduled',
            st?.currentNumberScheduled ?? 0,
          ),
          eventEvidence(refused.event),
        ],
        proposedFix: {
          description: failedCreateAdvice(refused.text),
          note: 'A restart alone will not help: new pods are refused the same way until the quota, limit or policy allows them.',
        },
      }),
    ];
  }
  return [
    makeFinding(NAME, ctx, {
      code: 'DaemonSetUnavailable',
      severity: available === 0 ? 'critical' : 'warning',
      resource: ref,
      message: `${id} is unavailable on ${unavailable} of ${desired} nodes${
        rolling
          ? `; its rolling update is stuck with ${updated} of ${desired} nodes updated: it replaces no further pod while the new ones are unavailable`
          : ''
      }.`,
      evidence,
      proposedFix: rolling
        ? {
            // kubernetes.io "Perform a Rolling Update on a DaemonSet": a broken
            // rollout does not progress until the template is fixed or rolled back.
            description: `The new template of ${name} does not come up (see the pod findings of ${name}): fix it, or roll back to the previous revision (kubectl rollout undo daemonset/${name}).`,
            note: 'A restart alone will not help: its pods are recreated from the same template.',
          }
        : {
            description: `See the pod findings of ${name} for why its pods are not ready on those nodes (often a node-specific problem: taints, resources, or the node itself).`,
          },
    }),
  ];
}
