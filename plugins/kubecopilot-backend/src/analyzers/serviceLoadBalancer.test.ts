import { serviceAnalyzer } from './service';
import { ev, f, loadContext } from './__fixtures__';

const NS = 'n-service-loadbalancer-no-subnets';
const FAILED =
  'Error syncing load balancer: failed to ensure load balancer: could not find any suitable subnets for creating the ELB';

function context(mutate?: (ctx: ReturnType<typeof loadContext>) => void) {
  const ctx = loadContext('service-loadbalancer-failed');
  mutate?.(ctx);
  return ctx;
}

describe('serviceAnalyzer and LoadBalancer Services', () => {
  it('reports what the service controller says the cloud refused', () => {
    expect(serviceAnalyzer.analyze(context())).toEqual([
      {
        analyzer: 'service',
        code: 'ServiceLoadBalancerPending',
        severity: 'error',
        cluster: 'prod-eu',
        resource: { kind: 'Service', namespace: NS, name: 'gateway' },
        message: `Service ${NS}/gateway has no external address: ${FAILED}. The service controller retries, and fails the same way.`,
        evidence: [
          f('spec.type', 'LoadBalancer'),
          f('status.loadBalancer.ingress', '(none)'),
          ev('SyncLoadBalancerFailed', FAILED, 9),
        ],
        proposedFix: {
          description:
            "The service controller's message names what the cloud refused: fix that (for \"could not find any suitable subnets\", tag the cluster's subnets kubernetes.io/role/elb or kubernetes.io/role/internal-elb; for a quota, free addresses or raise it; else the Service's load-balancer annotations). It retries by itself; no plan can do this, and restarting pods will not help.",
        },
      },
    ]);
  });

  it('is quiet once the load balancer has an address', () => {
    const ctx = context(c => {
      c.services[0].status = {
        loadBalancer: {
          ingress: [{ hostname: 'a1b2c3.elb.eu-west-1.amazonaws.com' }],
        },
      };
    });
    expect(serviceAnalyzer.analyze(ctx)).toEqual([]);
  });

  it('leaves a young one alone while it is provisioned, and warns after ten minutes without a word', () => {
    const silent = (ageMin: number) =>
      context(c => {
        c.events = [];
        c.now =
          Date.parse(c.services[0].metadata!.creationTimestamp as any) +
          ageMin * 60_000;
      });
    expect(serviceAnalyzer.analyze(silent(2))).toEqual([]);
    const [late] = serviceAnalyzer.analyze(silent(25));
    expect([late.code, late.severity]).toEqual([
      'ServiceLoadBalancerPending',
      'warning',
    ]);
    expect(late.message).toBe(
      `Service ${NS}/gateway has had no external address for 25 min, and no controller reported working on it: nothing in the cluster may implement LoadBalancer Services.`,
    );
  });

  it('says the cloud is slow when the service controller works on it without a failure', () => {
    const ctx = context(c => {
      c.events = c.events.filter(e => e.type !== 'Warning');
    });
    const [finding] = serviceAnalyzer.analyze(ctx);
    expect(finding.message).toBe(
      `Service ${NS}/gateway has had no external address for 25 min, although the service controller is ensuring one: the cloud has not finished or not answered.`,
    );
  });
});
