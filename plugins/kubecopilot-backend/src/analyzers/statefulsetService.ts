import type { V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from './types';
import { compact, field, formatLabels, makeFinding, refOf } from './common';

const NAME = 'statefulset';

function missing(ctx: AnalysisContext, s: V1StatefulSet): boolean {
  const name = s.spec?.serviceName;
  return (
    !!name &&
    !!ctx.missingServices?.some(
      m => m.namespace === s.metadata?.namespace && m.name === name,
    )
  );
}

function ownerSet(ctx: AnalysisContext, pod: V1Pod): V1StatefulSet | undefined {
  const owner = pod.metadata?.ownerReferences?.find(
    o => o.controller && o.kind === 'StatefulSet',
  );
  return owner
    ? ctx.statefulsets.find(
        s =>
          s.metadata?.name === owner.name &&
          s.metadata?.namespace === pod.metadata?.namespace,
      )
    : undefined;
}

/**
 * Whether the pod belongs to a StatefulSet whose governing Service is
 * missing and its log names a host under that Service: the peers' DNS
 * names (`<pod>.<service>`) it cannot resolve are why it fails.
 */
export function failsOnMissingService(
  ctx: AnalysisContext,
  pod: V1Pod,
): boolean {
  const s = ownerSet(ctx, pod);
  if (!s || !missing(ctx, s)) return false;
  // A member's name (`zk-1.zk-hs`) or the Service's domain
  // (`.zk-hs.shop.svc`), not any word that happens to contain the name.
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const svc = esc(s.spec!.serviceName!);
  const host = new RegExp(
    `\\b${esc(s.metadata?.name ?? '')}-\\d+\\.${svc}\\b|\\.${svc}\\.${esc(
      s.metadata?.namespace ?? '',
    )}\\b`,
  );
  return ctx.logs.some(
    l =>
      l.namespace === pod.metadata?.namespace &&
      l.pod === pod.metadata?.name &&
      l.lines.some(line => host.test(line)),
  );
}

/**
 * A StatefulSet whose spec.serviceName names a Service that does not exist
 * (k8sgpt's StatefulSet analyzer reports the same). The controller still
 * creates the pods, but only the governing headless Service gives them DNS
 * names (`<pod>.<service>.<namespace>.svc`), so members that find each other
 * by those names (ZooKeeper, Kafka, etcd, Elasticsearch) cannot.
 */
export function serviceMissing(
  ctx: AnalysisContext,
  s: V1StatefulSet,
): Finding | undefined {
  if (!missing(ctx, s)) return undefined;
  const ns = s.metadata?.namespace;
  const service = s.spec!.serviceName!;
  const available = s.status?.availableReplicas ?? s.status?.readyReplicas ?? 0;
  const failing = ctx.pods
    .filter(p => failsOnMissingService(ctx, p))
    .map(p => p.metadata?.name ?? '');
  const labels = formatLabels(s.spec?.template?.metadata?.labels);
  return makeFinding(NAME, ctx, {
    code: 'StatefulSetServiceMissing',
    // Pods that do not look each other up by those names (or whose logs
    // were not read) work without it: then it is a note.
    severity: failing.length > 0 ? 'error' : 'info',
    resource: refOf('StatefulSet', s),
    message: `StatefulSet ${ns}/${
      s.metadata?.name
    } names spec.serviceName ${service}, but Service ${ns}/${service} does not exist: its pods get no DNS names (${
      s.metadata?.name
    }-0.${service}.${ns}.svc …), so members that reach each other by those names cannot${
      failing.length > 0
        ? ` — the logs of ${failing.join(', ')} name such hosts`
        : ''
    }.`,
    evidence: compact([
      field('spec.serviceName', service),
      field(`Service/${service}`, 'not found (metadata-only existence check)'),
      field('status.availableReplicas', available),
      failing.length > 0
        ? field('pods whose log names a host under it', failing.join(', '))
        : undefined,
    ]),
    proposedFix: {
      description: `Create the headless Service ${service} in ${ns} (clusterIP: None, selector ${
        labels || "matching the pods' labels"
      }, the ports the members use, usually publishNotReadyAddresses: true so peers find each other before they are ready).`,
      note: 'No plan here creates a Service, and restarting the pods will not help: their names resolve only once the Service exists. spec.serviceName cannot be changed on a StatefulSet.',
    },
  });
}
