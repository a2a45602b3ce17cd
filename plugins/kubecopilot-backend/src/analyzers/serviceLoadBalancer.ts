import type { V1Service } from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from './types';
import {
  ago,
  clause,
  eventEvidence,
  eventsFor,
  field,
  latestEvents,
  makeFinding,
  nowOf,
  refOf,
  timeOf,
} from './common';

const NAME = 'service';

/**
 * How long a cloud takes to make a load balancer before "pending" is a
 * fault rather than work in progress: a few minutes at most.
 */
const PROVISIONING_MS = 10 * 60_000;

/**
 * A LoadBalancer Service without an external address: the service
 * controller says why (SyncLoadBalancerFailed — no suitable subnets, an
 * exhausted address quota, a bad annotation), or, with no word at all for
 * minutes, nothing in the cluster implements LoadBalancer Services (no
 * cloud controller, no MetalLB) or its loadBalancerClass. Young ones are
 * being provisioned.
 */
export function loadBalancerPending(
  ctx: AnalysisContext,
  svc: V1Service,
): Finding | undefined {
  if (svc.spec?.type !== 'LoadBalancer') return undefined;
  if ((svc.status?.loadBalancer?.ingress ?? []).length > 0) return undefined;
  const namespace = svc.metadata?.namespace;
  const name = svc.metadata?.name ?? '';
  const id = `Service ${namespace}/${name}`;
  const events = eventsFor(ctx, 'Service', namespace, name);
  const failed = events.filter(
    e => e.type === 'Warning' && /LoadBalancer/i.test(e.reason ?? ''),
  );
  const age = nowOf(ctx) - timeOf(svc.metadata?.creationTimestamp);
  const lbClass = svc.spec?.loadBalancerClass;
  const evidence = [
    field('spec.type', 'LoadBalancer'),
    ...(lbClass ? [field('spec.loadBalancerClass', lbClass)] : []),
    field('status.loadBalancer.ingress', '(none)'),
  ];
  if (failed.length > 0) {
    const latest = failed[failed.length - 1];
    return makeFinding(NAME, ctx, {
      code: 'ServiceLoadBalancerPending',
      severity: 'error',
      resource: refOf('Service', svc),
      message: `${id} has no external address: ${clause(
        latest.message ??
          latest.reason ??
          'the load balancer could not be made',
      )}. The service controller retries, and fails the same way.`,
      evidence: [...evidence, ...latestEvents(failed, 2).map(eventEvidence)],
      proposedFix: {
        description: `The service controller's message names what the cloud refused: fix that (for "could not find any suitable subnets", tag the cluster's subnets kubernetes.io/role/elb or kubernetes.io/role/internal-elb; for a quota, free addresses or raise it; else the Service's load-balancer annotations). It retries by itself; no plan can do this, and restarting pods will not help.`,
      },
    });
  }
  if (!(age > PROVISIONING_MS)) return undefined;
  const working = events.some(e => e.reason === 'EnsuringLoadBalancer');
  const waited = ago(age);
  return makeFinding(NAME, ctx, {
    code: 'ServiceLoadBalancerPending',
    severity: 'warning',
    resource: refOf('Service', svc),
    message: working
      ? `${id} has had no external address for ${waited}, although the service controller is ensuring one: the cloud has not finished or not answered.`
      : `${id} has had no external address for ${waited}, and no controller reported working on it${
          lbClass ? ` (loadBalancerClass "${lbClass}")` : ''
        }: nothing in the cluster may implement LoadBalancer Services.`,
    evidence: [...evidence, ...latestEvents(events, 1).map(eventEvidence)],
    proposedFix: {
      description: `Check that a load-balancer implementation runs for this cluster${
        lbClass ? ` and serves loadBalancerClass "${lbClass}"` : ''
      } (the cloud controller manager, or MetalLB and its address pool on bare metal), or expose the Service another way (an Ingress, or type NodePort). No plan can do this.`,
    },
  });
}
