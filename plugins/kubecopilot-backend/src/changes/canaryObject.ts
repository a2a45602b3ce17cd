import type { KubeObject } from '../kubernetes/types';

/** Label that keeps the canary's selector apart from the stable one's. */
export const CANARY_TRACK_LABEL = 'kubecopilot.io/track';
/** Annotation naming the plan that created a canary Deployment. */
export const CANARY_PLAN_ANNOTATION = 'kubecopilot.io/plan-id';

/** `<name>-canary`, shortened so pod names stay within 63 characters. */
export function canaryName(name: string): string {
  return `${name.slice(0, 40).replace(/-+$/, '')}-canary`;
}

/**
 * The canary Deployment: the stable pod template with the new image, its
 * selector and pod labels extended by `kubecopilot.io/track: canary` so the
 * two Deployments never claim each other's ReplicaSets, while the Service
 * (which selects the shared labels) sends traffic to both.
 */
export function buildCanaryObject(
  stable: KubeObject,
  options: {
    name: string;
    planId: string;
    container: string;
    image: string;
    replicas: number;
  },
): KubeObject {
  const template = structuredClone(stable.spec.template ?? {});
  template.metadata = {
    ...(template.metadata ?? {}),
    labels: {
      ...(template.metadata?.labels ?? {}),
      [CANARY_TRACK_LABEL]: 'canary',
    },
  };
  delete template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'];
  for (const c of template.spec?.containers ?? []) {
    if (c.name === options.container) c.image = options.image;
  }
  const selector = structuredClone(stable.spec.selector);
  selector.matchLabels = {
    ...(selector.matchLabels ?? {}),
    [CANARY_TRACK_LABEL]: 'canary',
  };
  const spec: KubeObject = {
    replicas: options.replicas,
    selector,
    template,
  };
  for (const field of [
    'strategy',
    'minReadySeconds',
    'progressDeadlineSeconds',
    'revisionHistoryLimit',
  ]) {
    if (stable.spec[field] !== undefined) spec[field] = structuredClone(stable.spec[field]);
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: options.name,
      namespace: stable.metadata?.namespace,
      labels: {
        ...(stable.metadata?.labels ?? {}),
        [CANARY_TRACK_LABEL]: 'canary',
      },
      annotations: {
        [CANARY_PLAN_ANNOTATION]: options.planId,
        'kubecopilot.io/canary-of': String(stable.metadata?.name),
      },
    },
    spec,
  };
}
