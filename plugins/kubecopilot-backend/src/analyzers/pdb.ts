import type { V1Node, V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from './types';
import { matchesSelector } from '../risk/rules';
import {
  compact,
  conditionEvidence,
  field,
  makeFinding,
  refOf,
} from './common';

const NAME = 'pdb';

/**
 * PodDisruptionBudgets that allow no voluntary disruption. The eviction API
 * refuses every eviction of their pods ("Cannot evict pod as it would
 * violate the pod's disruption budget"), so `kubectl drain`, node upgrades
 * and the cluster autoscaler wait on them. A budget whose spec itself asks
 * for every pod (minAvailable equal to the replicas, 100 %, maxUnavailable
 * 0) never allows one; a budget exhausted because pods are not healthy (a
 * rollout, a crash) allows evictions again once they are.
 */
export const pdbAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['PodDisruptionBudget'],
  analyze(ctx) {
    return (ctx.pdbs ?? []).flatMap(p => analyzePdb(ctx, p));
  },
};

function specText(p: V1PodDisruptionBudget): string {
  const { minAvailable, maxUnavailable } = p.spec ?? {};
  if (minAvailable !== undefined) return `spec.minAvailable ${minAvailable}`;
  if (maxUnavailable !== undefined)
    return `spec.maxUnavailable ${maxUnavailable}`;
  return 'its spec';
}

/** Pods the budget covers that sit on a cordoned node: a drain waiting on it. */
function cordoned(
  ctx: AnalysisContext,
  p: V1PodDisruptionBudget,
): Array<{ pod: string; node: V1Node }> {
  return ctx.pods.flatMap(pod => {
    if (
      pod.metadata?.namespace !== p.metadata?.namespace ||
      !matchesSelector(p.spec?.selector, pod.metadata?.labels)
    )
      return [];
    const node = ctx.nodes.find(n => n.metadata?.name === pod.spec?.nodeName);
    return node?.spec?.unschedulable
      ? [{ pod: pod.metadata?.name ?? '', node }]
      : [];
  });
}

function analyzePdb(ctx: AnalysisContext, p: V1PodDisruptionBudget): Finding[] {
  const st = p.status;
  if (!st || st.expectedPods === undefined || st.expectedPods === 0) return [];
  if ((st.disruptionsAllowed ?? 0) > 0) return [];
  const id = `PodDisruptionBudget ${p.metadata?.namespace}/${p.metadata?.name}`;
  const name = p.metadata?.name;
  const allowed = st.conditions?.find(c => c.type === 'DisruptionAllowed');
  const evidence = compact([
    p.spec?.minAvailable !== undefined
      ? field('spec.minAvailable', p.spec.minAvailable)
      : undefined,
    p.spec?.maxUnavailable !== undefined
      ? field('spec.maxUnavailable', p.spec.maxUnavailable)
      : undefined,
    field('status.expectedPods', st.expectedPods),
    field('status.desiredHealthy', st.desiredHealthy),
    field('status.currentHealthy', st.currentHealthy),
    field('status.disruptionsAllowed', st.disruptionsAllowed ?? 0),
    ...(allowed ? conditionEvidence('status.conditions', allowed) : []),
  ]);
  if (st.desiredHealthy < st.expectedPods) {
    // Exhausted only because pods are not healthy right now: their own
    // findings are the story, and the budget frees itself once they are.
    return [
      makeFinding(NAME, ctx, {
        code: 'PdbNoDisruptionsAllowed',
        severity: 'info',
        resource: refOf('PodDisruptionBudget', p),
        message: `${id} allows no eviction right now: ${st.currentHealthy} of its ${st.expectedPods} pods are healthy, exactly the ${st.desiredHealthy} it requires. It allows evictions again once its pods are healthy (a rollout at work, or a failing pod: see the pod findings).`,
        evidence,
      }),
    ];
  }
  const waiting = cordoned(ctx, p);
  const drain =
    waiting.length > 0
      ? ` Node ${waiting[0].node.metadata?.name} is cordoned and still runs pod ${waiting[0].pod}: a drain of it waits on this budget.`
      : '';
  return [
    makeFinding(NAME, ctx, {
      code: 'PdbNoDisruptionsAllowed',
      severity: 'warning',
      resource: refOf('PodDisruptionBudget', p),
      message: `${id} never allows a voluntary disruption: ${specText(
        p,
      )} requires ${st.desiredHealthy} of its ${
        st.expectedPods
      } pods healthy, so every eviction is refused and node drains, upgrades and autoscaler scale-downs wait on its pods.${drain}`,
      evidence: [
        ...evidence,
        ...waiting.map(w =>
          field(`Node/${w.node.metadata?.name}.spec.unschedulable`, true),
        ),
      ],
      proposedFix: {
        description: `Let ${name} allow one pod down: set spec.maxUnavailable: 1 (or spec.minAvailable below the ${st.expectedPods} pods it covers), or run more replicas than it requires.`,
        note: 'No plan here changes a PodDisruptionBudget: edit it where it is declared (its repository or chart). Deleting it to finish a drain removes the protection for every later disruption too.',
      },
    }),
  ];
}
