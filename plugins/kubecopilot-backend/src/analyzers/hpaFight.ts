import type {
  CoreV1Event,
  V1Deployment,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from './types';
import {
  ago,
  eventCount,
  eventEvidence,
  eventLastSeen,
  eventsFor,
  field,
  makeFinding,
  nowOf,
  refOf,
  timeOf,
} from './common';

/** Scale changes seen this recently are the present, not history. */
const WINDOW_MS = 30 * 60_000;
/** A round seen this often is a pattern, not a one-off manual scale. */
const MIN_ROUNDS = 2;

interface Scale {
  event: CoreV1Event;
  rs: string;
  from: number;
  to: number;
}

const SCALED = /^Scaled (?:up|down) replica set (\S+) from (\d+) to (\d+)$/;
const NEW_SIZE = /^New size: (\d+)/;

/** Annotations and labels a GitOps controller leaves on what it applies. */
const GITOPS_MARKS: Array<[string, string]> = [
  ['argocd.argoproj.io/tracking-id', 'Argo CD'],
  ['kustomize.toolkit.fluxcd.io/name', 'Flux'],
  ['helm.toolkit.fluxcd.io/name', 'Flux'],
];

function gitOpsOf(d: V1Deployment): string | undefined {
  const marks = { ...d.metadata?.labels, ...d.metadata?.annotations };
  return GITOPS_MARKS.find(([key]) => key in marks)?.[1];
}

/**
 * Another writer of spec.replicas fighting the HPA: the Deployment is
 * scaled to a size the autoscaler never chose (a manifest applied with
 * `replicas:` by a GitOps sync, `kubectl apply`, a CI job) and the
 * autoscaler scales it back, again and again. Told apart from ordinary
 * autoscaling (the HPA's own events name every size it picks) and from
 * rollouts (their scale events name each size once).
 */
export function replicasOverridden(
  ctx: AnalysisContext,
  h: V2HorizontalPodAutoscaler,
): Finding | undefined {
  const target = h.spec?.scaleTargetRef;
  const ns = h.metadata?.namespace;
  if (target?.kind !== 'Deployment') return undefined;
  const d = ctx.deployments.find(
    x => x.metadata?.name === target.name && x.metadata?.namespace === ns,
  );
  if (!d) return undefined;
  const now = nowOf(ctx);
  const recent = (e: CoreV1Event) => now - eventLastSeen(e) < WINDOW_MS;
  const rescales = eventsFor(
    ctx,
    'HorizontalPodAutoscaler',
    ns,
    h.metadata?.name ?? '',
  ).filter(e => e.reason === 'SuccessfulRescale');
  const chosen = new Set(
    rescales.map(e => Number(NEW_SIZE.exec(e.message ?? '')?.[1] ?? -1)),
  );
  const scales: Scale[] = eventsFor(ctx, 'Deployment', ns, target.name)
    .filter(e => e.reason === 'ScalingReplicaSet' && recent(e))
    .flatMap(e => {
      const m = SCALED.exec(e.message ?? '');
      return m ? [{ event: e, rs: m[1], from: +m[2], to: +m[3] }] : [];
    });
  for (const away of scales) {
    if (chosen.has(away.to) || eventCount(away.event) < MIN_ROUNDS) continue;
    const back = scales.find(
      s =>
        s.rs === away.rs &&
        s.from === away.to &&
        s.to === away.from &&
        eventCount(s.event) >= MIN_ROUNDS,
    );
    const rescale = rescales.find(
      e =>
        recent(e) &&
        Number(NEW_SIZE.exec(e.message ?? '')?.[1]) === away.from &&
        eventCount(e) >= MIN_ROUNDS,
    );
    if (back && rescale) return finding(ctx, h, d, away, back, rescale);
  }
  return undefined;
}

function finding(
  ctx: AnalysisContext,
  h: V2HorizontalPodAutoscaler,
  d: V1Deployment,
  away: Scale,
  back: Scale,
  rescale: CoreV1Event,
): Finding {
  const name = d.metadata?.name;
  const rounds = Math.min(eventCount(away.event), eventCount(back.event));
  const since = timeOf(back.event.firstTimestamp) || eventLastSeen(back.event);
  const gitOps = gitOpsOf(d);
  return makeFinding('hpa', ctx, {
    code: 'HpaReplicasOverridden',
    severity: 'warning',
    resource: refOf('HorizontalPodAutoscaler', h),
    message: `Something other than HorizontalPodAutoscaler ${
      h.metadata?.namespace
    }/${h.metadata?.name} keeps setting Deployment ${name} to ${
      away.to
    } replicas, a size the autoscaler never chose: it scaled it back to ${
      away.from
    } ${rounds} times in ${ago(
      nowOf(ctx) - since,
    )}, and each round removes pods that were serving load.${
      gitOps
        ? ` The Deployment carries ${gitOps}'s tracking marks: its sync applying a manifest with replicas: ${away.to} is the likely writer.`
        : ' A manifest applied with replicas set (a GitOps sync, kubectl apply, a CI job) is the usual writer.'
    }`,
    evidence: [
      field('spec.scaleTargetRef', `Deployment/${name}`),
      field(`Deployment/${name}.spec.replicas`, d.spec?.replicas ?? 1),
      eventEvidence(away.event),
      eventEvidence(back.event),
      eventEvidence(rescale),
    ],
    proposedFix: {
      description: `Let the HPA alone own the replica count: remove spec.replicas from the manifest of Deployment ${name}${
        gitOps === 'Argo CD'
          ? ' (or have Argo CD ignore /spec/replicas with ignoreDifferences)'
          : ''
      }, as the Kubernetes docs say for Deployments that an HPA scales.`,
      note: 'No plan here helps: scaling by hand is one more writer in the same fight.',
    },
  });
}
