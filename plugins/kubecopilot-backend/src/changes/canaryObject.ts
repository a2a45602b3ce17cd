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
    /** `canary` (default) or `green` (a blue-green plan's new Deployment). */
    track?: 'canary' | 'green';
  },
): KubeObject {
  const track = options.track ?? 'canary';
  const template = structuredClone(stable.spec.template ?? {});
  template.metadata = {
    ...(template.metadata ?? {}),
    labels: {
      ...(template.metadata?.labels ?? {}),
      [CANARY_TRACK_LABEL]: track,
    },
  };
  delete template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'];
  for (const c of template.spec?.containers ?? []) {
    if (c.name === options.container) c.image = options.image;
  }
  const selector = structuredClone(stable.spec.selector);
  selector.matchLabels = {
    ...(selector.matchLabels ?? {}),
    [CANARY_TRACK_LABEL]: track,
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
        [CANARY_TRACK_LABEL]: track,
      },
      annotations: {
        [CANARY_PLAN_ANNOTATION]: options.planId,
        [`kubecopilot.io/${track}-of`]: String(stable.metadata?.name),
      },
    },
    spec,
  };
}

/** `<name>-green`, shortened so pod names stay within 63 characters. */
export function greenName(name: string): string {
  return `${name.slice(0, 41).replace(/-+$/, '')}-green`;
}

/**
 * The Service selectors of a blue-green plan. Blue's pods carry no track
 * label, so the Service is first pinned to blue's pod-template-hash (no
 * traffic moves, and green's pods — same labels plus `track: green` — get
 * none); the switch then selects the track label instead.
 */
export function blueGreenSelectors(
  original: Record<string, string>,
  blueHash: string,
) {
  const { ['pod-template-hash']: _hash, ...base } = original;
  return {
    original,
    blue: { ...base, 'pod-template-hash': blueHash },
    green: { ...base, [CANARY_TRACK_LABEL]: 'green' },
  };
}

/** True when a Deployment runs all its desired replicas, available, on its latest spec. */
export function isFullyAvailable(deployment: KubeObject | null): boolean {
  if (!deployment) return false;
  const desired =
    typeof deployment.spec?.replicas === 'number' ? deployment.spec.replicas : 1;
  const status = deployment.status ?? {};
  return (
    (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0) &&
    (status.updatedReplicas ?? 0) >= desired &&
    (status.availableReplicas ?? 0) >= desired
  );
}
