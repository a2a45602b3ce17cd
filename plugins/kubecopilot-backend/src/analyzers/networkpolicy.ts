import type {
  V1NetworkPolicy,
  V1NetworkPolicyPort,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from './types';
import { matchesSelector } from '../risk/rules';
import { field, formatLabels, makeFinding, refOf } from './common';

// Reported by the service analyzer: the finding is about the Service.
const NAME = 'service';

// NetworkPolicies are allow-lists: once any policy selects a pod for
// Ingress, only what some policy's ingress rules allow reaches it. A policy
// with no ingress rules (default deny) is often intended — but not for pods
// a Service fronts when no other policy opens the port the Service sends to.
// Who the clients are (`from`) is for a person to judge; the ports are not:
// a rule lists pod ports (after the Service's DNAT), so allowing the Service
// port 80 while the pods listen on 8080 opens nothing.

/** An empty podSelector selects every pod of the namespace. */
function selects(
  policy: V1NetworkPolicy,
  labels: Record<string, string> | undefined,
): boolean {
  const sel = policy.spec?.podSelector;
  if (!sel?.matchLabels && !sel?.matchExpressions?.length) return true;
  if (
    Object.keys(sel.matchLabels ?? {}).length === 0 &&
    !sel.matchExpressions?.length
  )
    return true;
  return matchesSelector(sel, labels ?? {});
}

/** policyTypes defaults to Ingress (plus Egress when egress rules exist). */
function isolatesIngress(policy: V1NetworkPolicy): boolean {
  const types = policy.spec?.policyTypes;
  return !types || types.length === 0 || types.includes('Ingress');
}

interface PodPort {
  port: number;
  name?: string;
  protocol: string;
}

/** The pod port a Service port reaches: its targetPort, by number or by name. */
function podPortOf(
  target: string | number,
  protocol: string,
  pods: V1Pod[],
): PodPort | undefined {
  for (const pod of pods) {
    for (const c of pod.spec?.containers ?? []) {
      for (const p of c.ports ?? []) {
        const proto = p.protocol ?? 'TCP';
        if (proto !== protocol) continue;
        if (
          (typeof target === 'string' && p.name === target) ||
          p.containerPort === target
        )
          return { port: p.containerPort, name: p.name, protocol };
      }
    }
  }
  return typeof target === 'number' ? { port: target, protocol } : undefined;
}

function allows(rulePort: V1NetworkPolicyPort, port: PodPort): boolean {
  if ((rulePort.protocol ?? 'TCP') !== port.protocol) return false;
  const p = rulePort.port as unknown as string | number | undefined;
  if (p === undefined || p === null) return true;
  if (typeof p === 'string' && !/^\d+$/.test(p)) return p === port.name;
  const from = Number(p);
  const to = rulePort.endPort ?? from;
  return port.port >= from && port.port <= to;
}

function portText(p: V1NetworkPolicyPort): string {
  const port = p.port as unknown as string | number | undefined;
  return `${port ?? 'any'}${p.endPort ? `-${p.endPort}` : ''}/${
    p.protocol ?? 'TCP'
  }`;
}

/**
 * Whether NetworkPolicies leave a Service's pods unreachable on every port
 * it sends to; undefined when they do not, or were not read.
 */
export function blockedByNetworkPolicy(
  ctx: AnalysisContext,
  svc: V1Service,
): Finding | undefined {
  const policies = ctx.networkpolicies;
  if (!policies || policies.length === 0) return undefined;
  return blockedService(ctx, svc, policies);
}

function blockedService(
  ctx: AnalysisContext,
  svc: V1Service,
  policies: V1NetworkPolicy[],
): Finding | undefined {
  const selector = svc.spec?.selector ?? {};
  if (Object.keys(selector).length === 0 || svc.spec?.type === 'ExternalName')
    return undefined;
  const namespace = svc.metadata?.namespace;
  const pods = ctx.pods.filter(
    p =>
      p.metadata?.namespace === namespace &&
      !['Failed', 'Succeeded'].includes(p.status?.phase ?? '') &&
      Object.entries(selector).every(([k, v]) => p.metadata?.labels?.[k] === v),
  );
  if (pods.length === 0) return undefined;
  // Policies that isolate every one of these pods for ingress.
  const isolating = policies.filter(
    pol =>
      pol.metadata?.namespace === namespace &&
      isolatesIngress(pol) &&
      pods.every(p => selects(pol, p.metadata?.labels)),
  );
  if (isolating.length === 0) return undefined;
  const rules = isolating.flatMap(pol => pol.spec?.ingress ?? []);
  // A rule without ports opens every port (to its peers): nothing to judge.
  if (rules.some(r => !r.ports || r.ports.length === 0)) return undefined;
  const rulePorts = rules.flatMap(r => r.ports ?? []);
  const blocked = (svc.spec?.ports ?? []).flatMap(sp => {
    const target = (sp.targetPort ?? sp.port) as unknown as string | number;
    const t =
      typeof target === 'string' && /^\d+$/.test(target)
        ? Number(target)
        : target;
    const port = podPortOf(t, sp.protocol ?? 'TCP', pods);
    if (!port || rulePorts.some(rp => allows(rp, port))) return [];
    return [{ service: sp, port }];
  });
  // Only when no port of the Service gets through: then nothing reaches it.
  if (blocked.length === 0 || blocked.length < (svc.spec?.ports ?? []).length)
    return undefined;
  const id = `Service ${namespace}/${svc.metadata?.name}`;
  const names = isolating.map(p => p.metadata?.name ?? '');
  const ports = blocked
    .map(b => `${b.port.port}/${b.port.protocol}`)
    .join(', ');
  const opened = [...new Set(rulePorts.map(portText))];
  return makeFinding(NAME, ctx, {
    code: 'NetworkPolicyBlocksService',
    severity: 'warning',
    resource: refOf('Service', svc),
    message: `NetworkPolicies let no traffic reach the pods of ${id} on port ${ports}. NetworkPolicy ${names.join(
      ', ',
    )} ${
      names.length === 1 ? 'isolates' : 'isolate'
    } its pods for ingress, and ${
      opened.length === 0
        ? 'no ingress rule lets anything in'
        : `the ingress rules only open ${opened.join(', ')}`
    }; connections through the Service time out while the pods stay ready.`,
    evidence: [
      field('spec.selector', formatLabels(selector)),
      ...isolating.map(p =>
        field(
          `NetworkPolicy/${p.metadata?.name}.spec`,
          `podSelector ${
            formatLabels(p.spec?.podSelector?.matchLabels ?? {}) ||
            '{} (all pods)'
          }; ingress rules ${p.spec?.ingress?.length ?? 0}${
            (p.spec?.ingress ?? []).flatMap(r => r.ports ?? []).length
              ? ` (ports ${(p.spec?.ingress ?? [])
                  .flatMap(r => r.ports ?? [])
                  .map(portText)
                  .join(', ')})`
              : ''
          }`,
        ),
      ),
      field('pod ports the Service sends to', ports),
    ],
    proposedFix: {
      description: `Allow ingress to the pods of ${id} on port ${ports} from its clients (for example the ingress controller's namespace) in a NetworkPolicy${
        opened.length
          ? ` — a rule's ports are the pods' ports, not the Service's`
          : ''
      }. Changing NetworkPolicies is not a plan KubeCopilot offers, and restarting the pods will not help.`,
    },
  });
}
