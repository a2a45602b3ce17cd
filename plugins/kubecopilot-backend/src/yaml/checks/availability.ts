import { replicasOf } from '../../changes/change';
import type { KubeObject } from '../../kubernetes/types';
import { matchesSelector } from '../../risk/rules';
import { isReplicated, podLabelsOf, podSpecOf, podSpecPath } from '../manifest';
import { CheckContext, ManifestCheck, ManifestRule } from '../types';

function hpaOf(object: KubeObject, context: CheckContext) {
  return context.hpas?.find(
    h =>
      h.spec?.scaleTargetRef?.kind === object.kind &&
      h.spec?.scaleTargetRef?.name === object.metadata?.name,
  );
}

/** Replicas as they will be: the HPA's minimum when one owns the count. */
function effectiveReplicas(object: KubeObject, hpa: KubeObject | undefined) {
  return hpa ? Math.max(hpa.spec?.minReplicas ?? 1, 1) : replicasOf(object);
}

function selectorText(labels: Record<string, string>) {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/**
 * Surviving the everyday disruptions: rollouts, node drains, a node or
 * zone going away, and an autoscaler and a manifest disagreeing.
 */
export const availabilityRule: ManifestRule = (object, context) => {
  if (!isReplicated(object.kind)) return [];
  const name = `${object.kind} ${object.metadata?.name}`;
  const namespace = object.metadata?.namespace;
  const hpa = hpaOf(object, context);
  const replicas = effectiveReplicas(object, hpa);
  const labels = podLabelsOf(object);
  const pod = podSpecPath(object.kind);
  const checks: ManifestCheck[] = [];

  if (
    replicas === 1 &&
    !hpa &&
    object.spec?.replicas !== 0 &&
    namespace &&
    context.productionNamespaces.includes(namespace)
  ) {
    checks.push({
      id: 'replicas-single-in-production',
      severity: 'warning',
      path: 'spec.replicas',
      message: `${name} runs a single replica in the production namespace ${namespace}: every rollout, node drain or crash of that one pod is an outage.`,
      fix: `Run at least 2 replicas, then add a PodDisruptionBudget and a topology spread so they are not drained or placed together.`,
      source:
        'Polaris: deploymentMissingReplicas · kube-linter: minimum-three-replicas',
      suggestion: { path: 'spec.replicas', value: 2 },
    });
  }

  if (replicas > 1 && context.pdbs !== undefined) {
    const covered = context.pdbs.some(
      p =>
        p.metadata?.namespace === namespace &&
        matchesSelector(p.spec?.selector, labels),
    );
    if (!covered) {
      checks.push({
        id: 'pdb-missing',
        severity: 'warning',
        path: 'spec.replicas',
        message: `${name} runs ${replicas} replicas but no PodDisruptionBudget covers its pods: a node drain (a cluster upgrade, the autoscaler removing a node) may evict all of them at once.`,
        fix: `Add a PodDisruptionBudget selecting ${
          selectorText(labels) || 'its pod labels'
        } with maxUnavailable: 1. It is an object of its own, next to this one in your repository.`,
        source:
          'kube-score: deployment-has-poddisruptionbudget · Polaris: missingPodDisruptionBudget',
      });
    }
  }

  const podSpec = podSpecOf(object);
  if (
    replicas > 1 &&
    !(podSpec?.topologySpreadConstraints?.length > 0) &&
    !podSpec?.affinity?.podAntiAffinity
  ) {
    checks.push({
      id: 'spread-missing',
      severity: 'info',
      path: `${pod}.topologySpreadConstraints`,
      message: `Nothing keeps the ${replicas} replicas of ${name} apart: the scheduler may put them all on one node or in one zone, and losing that node takes the whole service down.`,
      fix: `Add a topologySpreadConstraint on topology.kubernetes.io/zone or kubernetes.io/hostname (maxSkew: 1, whenUnsatisfiable: ScheduleAnyway) selecting ${
        selectorText(labels) || 'its pod labels'
      }, or a preferred podAntiAffinity.`,
      source:
        'kube-score: deployment-pod-anti-affinity · Polaris: topologySpreadConstraint · kube-linter: no-anti-affinity',
    });
  }

  if (hpa && typeof object.spec?.replicas === 'number') {
    checks.push({
      id: 'hpa-replicas-conflict',
      severity: 'warning',
      path: 'spec.replicas',
      message: `The HorizontalPodAutoscaler ${
        hpa.metadata?.name
      } scales ${name} between ${hpa.spec?.minReplicas ?? 1} and ${
        hpa.spec?.maxReplicas
      }, but the manifest also fixes replicas: ${
        object.spec.replicas
      }. Every time this manifest is applied the count jumps back to ${
        object.spec.replicas
      }, undoing the autoscaler until it reacts again.`,
      fix: `Leave spec.replicas out of the manifest you apply (in Git or your Helm chart) and let the HPA own the count; change minReplicas and maxReplicas on the HPA instead.`,
      source:
        'kube-score: deployment-targeted-by-hpa-does-not-have-replicas-configured',
    });
  }
  return checks;
};
