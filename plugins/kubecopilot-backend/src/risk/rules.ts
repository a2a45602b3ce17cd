import { RiskContext, RiskRule, KubeObject } from './types';
import { errorBudgetRules } from './budgetRules';

const GITOPS_MANAGERS: Array<[RegExp, string]> = [
  [/^(kustomize-controller|helm-controller|flux|gotk)/i, 'Flux'],
  [/^argocd/i, 'Argo CD'],
];

/**
 * Replicas a workload asks for, with the API server's default of 1 when
 * unset; undefined for kinds without replicas (DaemonSet, Pod) or no object.
 */
function replicasOf(object: KubeObject | null): number | undefined {
  if (!object) return undefined;
  const value = object.spec?.replicas;
  if (typeof value === 'number') return value;
  return object.kind === 'Deployment' || object.kind === 'StatefulSet'
    ? 1
    : undefined;
}

/**
 * The replica change the plan makes, judged on the objects (before → after),
 * never on the action's name: `scale`, `update` and a model's
 * recommendation that set the same count are the same change.
 */
function replicaChange(context: RiskContext) {
  const { before, after } = context;
  if (!after || typeof after.spec?.replicas !== 'number') return undefined;
  const from = replicasOf(before);
  const to = after.spec.replicas as number;
  if (from === undefined || from === to) return undefined;
  return { from, to };
}

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** How the pod template changes: each kind of change rolls every pod. */
function templateChange(context: RiskContext) {
  const { before, after } = context;
  const b = before?.spec?.template;
  const a = after?.spec?.template;
  if (!b || !a || JSON.stringify(b) === JSON.stringify(a)) return undefined;
  const images = (t: any) =>
    JSON.stringify(
      [...(t?.spec?.initContainers ?? []), ...(t?.spec?.containers ?? [])].map(
        (c: any) => c.image,
      ),
    );
  const without = (t: any) => {
    const copy = structuredClone(t);
    delete copy?.metadata?.annotations?.[RESTARTED_AT];
    if (copy?.metadata?.annotations && !Object.keys(copy.metadata.annotations).length) {
      delete copy.metadata.annotations;
    }
    for (const c of [
      ...(copy?.spec?.initContainers ?? []),
      ...(copy?.spec?.containers ?? []),
    ]) {
      delete c.image;
    }
    return JSON.stringify(copy);
  };
  return {
    restart:
      b.metadata?.annotations?.[RESTARTED_AT] !==
      a.metadata?.annotations?.[RESTARTED_AT],
    image: images(b) !== images(a),
    other: without(b) !== without(a),
  };
}

/** "image of checkout: …:2.3.1 → …:2.2.0", per container whose image changes. */
function imageChanges({ before, after }: RiskContext): string[] {
  const images = (object: KubeObject | null) => {
    const pod = object?.spec?.template?.spec ?? {};
    return new Map<string, string | undefined>(
      [...(pod.initContainers ?? []), ...(pod.containers ?? [])].map(
        (c: any) => [c.name, c.image],
      ),
    );
  };
  const was = images(before);
  return [...images(after)]
    .filter(([name, image]) => was.get(name) !== image)
    .map(
      ([name, image]) =>
        `image of ${name}: ${was.get(name) ?? 'none'} → ${image ?? 'none'}`,
    );
}

/** Whether the change takes pods down: a delete or any pod template change. */
function disruptsPods(context: RiskContext) {
  return (
    (context.before !== null && context.after === null) ||
    templateChange(context) !== undefined
  );
}

export function matchesSelector(
  selector: { matchLabels?: Record<string, string>; matchExpressions?: any[] } | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector || !labels) return false;
  const matchLabels = selector.matchLabels ?? {};
  if (Object.keys(matchLabels).length === 0 && !selector.matchExpressions?.length) {
    return false;
  }
  for (const [key, value] of Object.entries(matchLabels)) {
    if (labels[key] !== value) return false;
  }
  for (const expr of selector.matchExpressions ?? []) {
    const has = expr.key in labels;
    const value = labels[expr.key];
    switch (expr.operator) {
      case 'In':
        if (!has || !expr.values?.includes(value)) return false;
        break;
      case 'NotIn':
        if (has && expr.values?.includes(value)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function podLabels(context: RiskContext) {
  return (
    context.podLabels ??
    (context.before?.spec?.template?.metadata?.labels as
      | Record<string, string>
      | undefined)
  );
}

/** The built-in rules, in the order their reasons are listed. */
export const defaultRiskRules: RiskRule[] = [
  {
    name: 'traffic-switch',
    description:
      "A blue-green switch moves all of a Service's traffic to the new pods at once.",
    evaluate: context =>
      context.action === 'blue-green'
        ? {
            level: 'high',
            message: `the Service switch moves 100% of the traffic of ${context.resource.name} to the new image at once; blue stays running until the bake ends, so switching back is one write`,
          }
        : undefined,
  },
  {
    name: 'restart-rolls-every-pod',
    description: 'A restart replaces every pod of the workload.',
    evaluate: context =>
      context.action !== 'rollback' && templateChange(context)?.restart
        ? {
            level: 'medium',
            message: `restarting ${context.resource.kind} ${context.resource.name} replaces every pod; in-flight requests may fail`,
          }
        : undefined,
  },
  {
    name: 'scale-to-zero',
    description: 'Scaling to zero stops the workload.',
    evaluate: context =>
      replicaChange(context)?.to === 0
        ? {
            level: 'high',
            message: `setting replicas from ${
              replicaChange(context)!.from
            } to 0 stops the service entirely`,
          }
        : undefined,
  },
  {
    name: 'scale-down-by-more-than-half',
    description: 'Removing more than half of the replicas risks overload.',
    evaluate: context => {
      const change = replicaChange(context);
      if (!change || change.to === 0) return undefined;
      return change.to < change.from / 2
        ? {
            level: 'high',
            message: `scaling from ${change.from} to ${change.to} replicas removes more than half of the capacity`,
          }
        : undefined;
    },
  },
  {
    name: 'scale-up-by-more-than-double',
    description: 'A large scale-up can exhaust quotas or node capacity.',
    evaluate: context => {
      const change = replicaChange(context);
      if (!change || change.from === 0) return undefined;
      return change.to > change.from * 2
        ? {
            level: 'medium',
            message: `scaling from ${change.from} to ${change.to} replicas may exhaust quota or node capacity`,
          }
        : undefined;
    },
  },
  {
    name: 'delete-is-destructive',
    description: 'A delete cannot be undone by KubeCopilot.',
    evaluate: ({ before, after, resource }) => {
      if (!before || after) return undefined;
      const owned = (before?.metadata?.ownerReferences ?? []).some(o => o.controller);
      return owned
        ? {
            level: 'medium',
            message: `deleting ${resource.kind} ${resource.name}: its controller will replace it, but its current state is lost`,
          }
        : {
            level: 'high',
            message: `deleting ${resource.kind} ${resource.name}: nothing owns it, so it will not come back`,
          };
    },
  },
  {
    name: 'image-change',
    description: 'A new image rolls every pod onto code that has not run here.',
    evaluate: context =>
      context.action !== 'canary' &&
      context.action !== 'rollback' &&
      templateChange(context)?.image
        ? {
            level: 'medium',
            message: 'the change sets a new container image and rolls every pod',
          }
        : undefined,
  },
  {
    name: 'pod-template-change',
    description: 'Any other pod template change (resources, env) rolls every pod.',
    evaluate: context =>
      context.action !== 'rollback' && templateChange(context)?.other
        ? {
            level: 'medium',
            message:
              'the change edits the pod template (resources or environment) and rolls every pod',
          }
        : undefined,
  },
  {
    name: 'rollback-replaces-template',
    description:
      'A rollback puts an earlier pod template back and rolls every pod; the images it changes are named.',
    evaluate: context => {
      const change = templateChange(context);
      if (context.action !== 'rollback' || !change) return undefined;
      const { kind, name } = context.resource;
      const revision = context.params.toRevision;
      const images = imageChanges(context);
      return {
        level: 'medium',
        message: `${
          typeof revision === 'number'
            ? `rolling ${kind} ${name} back to revision ${revision}`
            : `putting back the pod template ${kind} ${name} had before`
        } replaces its pod template and rolls every pod${
          images.length ? `; ${images.join('; ')}` : '; the images stay the same'
        }${change.other ? '; other template fields (environment, resources, probes…) change with it' : ''}`,
      };
    },
  },
  {
    name: 'production-namespace',
    description: 'Changes in production namespaces are one level riskier.',
    evaluate: ({ resource, productionNamespaces }) =>
      resource.namespace && productionNamespaces.includes(resource.namespace)
        ? { raise: true, message: `namespace ${resource.namespace} is a production namespace` }
        : undefined,
  },
  {
    name: 'pod-disruption-budget',
    description: 'A change that would violate a PodDisruptionBudget is high risk.',
    evaluate: context => {
      const labels = podLabels(context);
      const pdb = context.pdbs.find(p => matchesSelector(p.spec?.selector, labels));
      if (!pdb) return undefined;
      const name = pdb.metadata?.name;
      const allowed = pdb.status?.disruptionsAllowed;
      if (disruptsPods(context) && allowed === 0) {
        return {
          level: 'high',
          message: `PodDisruptionBudget ${name} allows no disruption right now (disruptionsAllowed: 0)`,
        };
      }
      const minAvailable = pdb.spec?.minAvailable;
      const to = replicaChange(context)?.to;
      if (
        typeof to === 'number' &&
        typeof minAvailable === 'number' &&
        to < minAvailable
      ) {
        return {
          level: 'high',
          message: `PodDisruptionBudget ${name} requires at least ${minAvailable} available pods; the plan leaves ${to}`,
        };
      }
      return undefined;
    },
  },
  {
    name: 'hpa-managed',
    description: 'An autoscaler will undo manual replica changes.',
    evaluate: context => {
      const { resource, hpas } = context;
      const hpa = hpas.find(
        h =>
          h.spec?.scaleTargetRef?.kind === resource.kind &&
          h.spec?.scaleTargetRef?.name === resource.name,
      );
      if (!hpa) return undefined;
      return {
        warning: true,
        message:
          replicaChange(context)
            ? `HorizontalPodAutoscaler ${hpa.metadata?.name} manages the replicas of ${resource.name} and will override this change`
            : `HorizontalPodAutoscaler ${hpa.metadata?.name} manages ${resource.name}`,
      };
    },
  },
  {
    name: 'gitops-managed',
    description: 'A GitOps controller will revert changes not made in Git.',
    evaluate: ({ before }) => {
      for (const field of before?.metadata?.managedFields ?? []) {
        for (const [pattern, tool] of GITOPS_MANAGERS) {
          if (field.manager && pattern.test(field.manager)) {
            return {
              warning: true,
              message: `${tool} (field manager ${field.manager}) manages this object and may undo the change; make it in Git too`,
            };
          }
        }
      }
      const labels = before?.metadata?.labels ?? {};
      const annotations = before?.metadata?.annotations ?? {};
      if (labels['app.kubernetes.io/instance'] && annotations['argocd.argoproj.io/tracking-id']) {
        return { warning: true, message: 'Argo CD tracks this object and may undo the change' };
      }
      if (labels['kustomize.toolkit.fluxcd.io/name'] || labels['helm.toolkit.fluxcd.io/name']) {
        return { warning: true, message: 'Flux manages this object and may undo the change' };
      }
      return undefined;
    },
  },
  ...errorBudgetRules,
  {
    name: 'canary-promotes-image',
    description: 'A canary ends by moving every pod to the new image.',
    evaluate: ({ action, params }) =>
      action === 'canary'
        ? {
            level: 'medium',
            message: `the canary ends by updating every pod to ${String(params.image)}`,
          }
        : undefined,
  },
  {
    name: 'canary-without-gates',
    description: 'A canary no metric gate guards is a slow, unchecked rollout.',
    evaluate: ({ action, params }) =>
      action === 'canary' && !params.gates
        ? {
            level: 'high',
            message: 'no SLI gate guards the canary: a bad image would be promoted unchecked',
          }
        : undefined,
  },
  {
    name: 'canary-coarse-steps',
    description: 'Few stable replicas make the first canary step bigger than asked.',
    evaluate: ({ action, params }) => {
      if (action !== 'canary') return undefined;
      const asked = Number(params.firstStepPercent);
      const actual = Number(params.firstStepActualPercent);
      return actual > asked * 1.5
        ? {
            warning: true,
            message: `with ${params.stableReplicas} stable replica(s) the first step puts ${actual}% of the pods on the new image, not ${asked}%; scale the Deployment up first for a finer canary`,
          }
        : undefined;
    },
  },
];
