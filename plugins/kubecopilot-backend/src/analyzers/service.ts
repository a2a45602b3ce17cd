import type { V1Pod, V1Service } from '@kubernetes/client-node';
import type {
  Finding,
  FindingEvidence,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from './types';
import {
  compact,
  field,
  formatLabels,
  eventsFor,
  makeFinding,
  nowOf,
  refOf,
  timeOf,
} from './common';
import { isStarting, STARTING_WINDOW_MS } from './workloadPods';
import { blockedByNetworkPolicy } from './networkpolicy';
import { loadBalancerPending } from './serviceLoadBalancer';
import {
  describeProblems,
  targetsText,
  portAdvice,
  portEvidence,
  portProblems,
} from './servicePorts';

const NAME = 'service';

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const serviceAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['Service'],
  analyze(ctx) {
    return ctx.services.flatMap(svc => [
      ...analyzeService(ctx, svc),
      ...compact([
        blockedByNetworkPolicy(ctx, svc),
        loadBalancerPending(ctx, svc),
      ]),
    ]);
  },
};

interface Addresses {
  ready: number;
  notReady: string[];
  evidence: FindingEvidence[];
}

/**
 * Ready and not-ready addresses of a Service, from its EndpointSlices when
 * gathered (the current API) or else its Endpoints. Undefined when neither
 * was gathered: no endpoints data is not the same as no endpoints.
 */
function addressesOf(
  ctx: AnalysisContext,
  svc: V1Service,
): Addresses | undefined {
  const namespace = svc.metadata?.namespace;
  const name = svc.metadata?.name;
  const slices = ctx.endpointslices.filter(
    s =>
      s.metadata?.namespace === namespace &&
      s.metadata?.labels?.['kubernetes.io/service-name'] === name,
  );
  if (slices.length > 0) {
    const out: Addresses = { ready: 0, notReady: [], evidence: [] };
    for (const slice of slices) {
      const eps = slice.endpoints ?? [];
      // The API defines an unset `ready` as ready.
      const ready = eps.filter(e => e.conditions?.ready !== false);
      out.ready += ready.length;
      out.notReady.push(
        ...eps
          .filter(e => e.conditions?.ready === false)
          .map(e =>
            e.targetRef
              ? `${e.targetRef.kind}/${e.targetRef.name}`
              : e.addresses[0],
          ),
      );
      out.evidence.push(
        field(
          `EndpointSlice/${slice.metadata?.name}.endpoints[*].conditions.ready`,
          `${ready.length} of ${eps.length} ready`,
        ),
      );
    }
    return out;
  }
  const ep = ctx.endpoints.find(
    e => e.metadata?.namespace === namespace && e.metadata?.name === name,
  );
  if (!ep) return undefined;
  const subsets = ep.subsets ?? [];
  const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const notReady = subsets.flatMap(s =>
    (s.notReadyAddresses ?? []).map(a =>
      a.targetRef ? `${a.targetRef.kind}/${a.targetRef.name}` : a.ip,
    ),
  );
  return {
    ready,
    notReady,
    evidence: [
      field(`Endpoints/${name}.subsets[*].addresses`, ready),
      field(`Endpoints/${name}.subsets[*].notReadyAddresses`, notReady.length),
    ],
  };
}

function matches(
  selector: Record<string, string>,
  labels: Record<string, string> | undefined,
) {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function isReady(pod: V1Pod): boolean {
  return (
    pod.status?.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    ) ?? false
  );
}

function analyzeService(ctx: AnalysisContext, svc: V1Service): Finding[] {
  const selector = svc.spec?.selector ?? {};
  // ExternalName has no endpoints by design.
  if (svc.spec?.type === 'ExternalName') return [];
  // Selector-less Services have hand-managed endpoints: judged on those alone.
  if (Object.keys(selector).length === 0) return compact([unbacked(ctx, svc)]);
  const namespace = svc.metadata?.namespace;
  const matching = ctx.pods.filter(
    p =>
      p.metadata?.namespace === namespace &&
      // Pods on their way out (evicted, completed) are no endpoints either way.
      !['Failed', 'Succeeded'].includes(p.status?.phase ?? '') &&
      matches(selector, p.metadata?.labels),
  );
  const problems = portProblems(svc, matching);
  const addresses = addressesOf(ctx, svc);
  const noEndpoints =
    addresses && addresses.ready === 0
      ? noEndpointsFinding(ctx, svc, addresses)
      : undefined;
  if (noEndpoints) {
    // Ready pods and no endpoint: the port problem is the whole story, told once.
    if (matching.some(isReady) && problems.length > 0) {
      return [withPortProblems(noEndpoints, svc, problems, matching)];
    }
    return problems.length > 0
      ? [noEndpoints, portMismatch(ctx, svc, problems, matching)]
      : [noEndpoints];
  }
  return problems.length > 0
    ? [portMismatch(ctx, svc, problems, matching)]
    : [];
}

/**
 * A selector-less Service with no address in its Endpoints or
 * EndpointSlices: nothing backs it. Judged only when the slices were read
 * (custom EndpointSlices are not mirrored into Endpoints).
 */
function unbacked(ctx: AnalysisContext, svc: V1Service): Finding | undefined {
  if (!ctx.missingEndpoints) return undefined;
  const namespace = svc.metadata?.namespace;
  const name = svc.metadata?.name;
  const absent = ctx.missingEndpoints.some(
    m => m.namespace === namespace && m.name === name,
  );
  const addresses = addressesOf(ctx, svc);
  if (addresses ? addresses.ready > 0 : !absent) return undefined;
  const id = `Service ${namespace}/${name}`;
  return makeFinding(NAME, ctx, {
    code: 'ServiceNoEndpoints',
    severity: 'error',
    resource: refOf('Service', svc),
    message: `${id} has no selector and no endpoints: nothing backs it. ${
      absent
        ? 'Neither Endpoints nor EndpointSlices exist for it'
        : 'Its Endpoints list no address'
    }, so connections to it fail.`,
    evidence: [
      field('spec.selector', '(none)'),
      ...(addresses
        ? addresses.evidence
        : [
            field(`Endpoints/${name}`, 'not found'),
            field(`EndpointSlices of Service ${name}`, 'none'),
          ]),
    ],
    proposedFix: {
      description: `A Service without a selector sends traffic only to the Endpoints or EndpointSlices someone writes: create them for the backend ${id} should reach, give it a selector for its pods, or make it an ExternalName Service for a DNS name. No plan can do this, and restarting pods will not help.`,
    },
  });
}

/** A Service whose selected pods do not serve some of its targetPorts. */
function portMismatch(
  ctx: AnalysisContext,
  svc: V1Service,
  problems: ReturnType<typeof portProblems>,
  pods: V1Pod[],
): Finding {
  const id = `Service ${svc.metadata?.namespace}/${svc.metadata?.name}`;
  const named = problems.some(p => p.kind === 'name');
  return makeFinding(NAME, ctx, {
    code: 'ServicePortMismatch',
    // A name no pod has means no endpoint for that port at all; an
    // undeclared number may still be served.
    severity: named ? 'error' : 'warning',
    resource: refOf('Service', svc),
    message: `${id} sends traffic to targetPort ${targetsText(
      problems,
    )}, which its pods do not serve. ${capitalize(
      describeProblems(problems, pods),
    )}; ${
      named
        ? 'its endpoints list no pod for that port, so connections to it fail.'
        : 'connections to it are likely refused.'
    }`,
    evidence: portEvidence(problems, pods),
    proposedFix: { description: portAdvice(id, problems, pods) },
  });
}

function withPortProblems(
  finding: Finding,
  svc: V1Service,
  problems: ReturnType<typeof portProblems>,
  pods: V1Pod[],
): Finding {
  const id = `Service ${svc.metadata?.namespace}/${svc.metadata?.name}`;
  const ready = pods.filter(isReady).length;
  return {
    ...finding,
    message: `${id} has no endpoints: its pods do not serve targetPort ${targetsText(
      problems,
    )}. ${ready} matching pod(s) are ready, but ${describeProblems(
      problems,
      pods,
    )}.`,
    evidence: [...finding.evidence, ...portEvidence(problems, pods)],
    proposedFix: { description: portAdvice(id, problems, pods) },
  };
}

/**
 * A pod on its way to serving: young, never restarted, nothing failed, and
 * either not running yet (scheduled, pulling, initializing) or running
 * within its readiness probe's first checks with no failed probe reported.
 */
function comingUp(ctx: AnalysisContext, pod: V1Pod): boolean {
  const now = nowOf(ctx);
  if (!isStarting(pod, now, STARTING_WINDOW_MS)) return false;
  const statuses = pod.status?.containerStatuses ?? [];
  if (statuses.every(cs => !cs.state?.running)) return true;
  const unhealthy = eventsFor(
    ctx,
    'Pod',
    pod.metadata?.namespace,
    pod.metadata?.name ?? '',
  ).some(e => e.reason === 'Unhealthy');
  if (unhealthy) return false;
  return statuses.every(cs => {
    if (!cs.state?.running) return true;
    const probe = (pod.spec?.containers ?? []).find(
      c => c.name === cs.name,
    )?.readinessProbe;
    if (!probe) return false;
    const budgetMs =
      ((probe.initialDelaySeconds ?? 0) +
        (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3) +
        10) *
      1000;
    return now - timeOf(cs.state.running.startedAt) < budgetMs;
  });
}

function noEndpointsFinding(
  ctx: AnalysisContext,
  svc: V1Service,
  addresses: Addresses,
): Finding {
  const selector = svc.spec?.selector ?? {};
  const namespace = svc.metadata?.namespace;
  const id = `Service ${namespace}/${svc.metadata?.name}`;
  const sel = formatLabels(selector);
  const inNamespace = ctx.pods.filter(p => p.metadata?.namespace === namespace);
  const matching = inNamespace.filter(p =>
    matches(selector, p.metadata?.labels),
  );
  const evidence: FindingEvidence[] = [
    field('spec.selector', sel),
    ...addresses.evidence,
    field(
      'pods matching spec.selector',
      matching.length === 0
        ? 'none'
        : matching.map(p => p.metadata?.name).join(', '),
    ),
  ];

  let message: string;
  let description: string;
  let starting = false;
  if (matching.length === 0) {
    const closest = closestPod(selector, inNamespace);
    if (closest) {
      evidence.push(
        ...closest.diffs.map(d =>
          field(
            `Pod/${closest.pod.metadata?.name}.metadata.labels.${d.key}`,
            d.has ?? '(absent)',
          ),
        ),
      );
    }
    const diffText = closest
      ? ` The closest pod, ${
          closest.pod.metadata?.name
        }, differs on ${closest.diffs
          .map(
            d =>
              `${d.key} (has ${
                d.has === undefined ? 'no such label' : `"${d.has}"`
              }, selector wants "${d.wants}")`,
          )
          .join(', ')}.`
      : '';
    message = `${id} has no endpoints: no pod matches its selector ${sel}.${diffText}`;
    description = `Change spec.selector of ${id}, or the pod template labels of the workload it should route to, so that they match.${diffText}`;
  } else if (matching.some(isReady)) {
    // Ready pods that still are no endpoints: usually a named targetPort the pods do not expose.
    message = `${id} has no ready endpoints although ${
      matching.filter(isReady).length
    } matching pod(s) are ready.`;
    description = `Check that the Service's targetPort names or numbers a port the pods really expose (spec.ports[*].targetPort vs the containers' ports).`;
  } else if (matching.every(p => comingUp(ctx, p))) {
    // Just applied, or every pod replaced at once: the pods are on their
    // way up and none has failed. A note until they are ready or fail.
    starting = true;
    message = `${id} has no ready endpoints yet: its ${
      matching.length
    } pod(s) are still starting and none has failed (${matching
      .map(p => p.metadata?.name)
      .join(', ')}).`;
    description = `Nothing to do yet: the Service routes traffic to the pods as soon as they are ready. If they do not become ready, their own findings say why.`;
  } else {
    message = `${id} has no ready endpoints: ${
      matching.length
    } pod(s) match its selector ${sel} but none is ready (${matching
      .map(p => p.metadata?.name)
      .join(', ')}).`;
    description = `Fix the pods behind the Service (see their findings); it routes traffic to them as soon as they are ready.`;
  }
  return makeFinding(NAME, ctx, {
    code: 'ServiceNoEndpoints',
    severity: starting ? 'info' : 'error',
    resource: refOf('Service', svc),
    message,
    evidence,
    proposedFix: { description },
  });
}

interface LabelDiff {
  key: string;
  wants: string;
  has?: string;
}

/** The pod that misses the selector on the fewest labels: what the user most likely meant. */
function closestPod(
  selector: Record<string, string>,
  pods: V1Pod[],
): { pod: V1Pod; diffs: LabelDiff[] } | undefined {
  let best: { pod: V1Pod; diffs: LabelDiff[] } | undefined;
  for (const pod of pods) {
    const diffs = Object.keys(selector)
      .sort()
      .filter(k => pod.metadata?.labels?.[k] !== selector[k])
      .map(k => ({
        key: k,
        wants: selector[k],
        has: pod.metadata?.labels?.[k],
      }));
    // A pod sharing no selector label is unrelated, not "close".
    if (
      diffs.length === Object.keys(selector).length &&
      diffs.every(d => d.has === undefined)
    )
      continue;
    if (!best || diffs.length < best.diffs.length) best = { pod, diffs };
  }
  return best;
}
