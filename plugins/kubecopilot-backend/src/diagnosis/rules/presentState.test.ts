import { runAnalyzers } from '../../analyzers';
import { loadContext } from '../../analyzers/__fixtures__';
import { ruleBasedDiagnosis } from './ruleBasedDiagnosis';

function diagnose(
  fixture: string,
  edit?: (ctx: ReturnType<typeof loadContext>) => void,
) {
  const ctx = loadContext(fixture);
  edit?.(ctx);
  const { findings } = runAnalyzers(ctx);
  return ruleBasedDiagnosis({ findings, contexts: [ctx], errors: [] });
}

describe('notes are not problems', () => {
  it.each([
    'pod-recovered',
    'pod-evicted-leftovers',
    'deployment-paused',
    'deployment-terminating-rollout',
  ])('%s: healthy, with the note told, and no headline', fixture => {
    const d = diagnose(fixture);
    expect(d.headline).toBeUndefined();
    expect(d.summary).toMatch(/^No problems found: .* look healthy\. 1 note: /);
    expect(d.findings).toHaveLength(1);
    expect(d.findings[0].severity).toBe('info');
  });

  it('tells a recovered container the way an SRE would', () => {
    expect(diagnose('pod-recovered').summary).toContain(
      'Container "app" of Pod shop/cart-6c9f7d5b8-t4wz1 (Deployment cart) recovered 3 h ago after 4 restarts and has been running since.',
    );
  });

  it('never makes a note the cause of a problem', () => {
    // The same container, and a Deployment short of a replica for another reason.
    const d = diagnose('pod-evicted-leftovers', ctx => {
      ctx.deployments[0].status!.availableReplicas = 1;
    });
    expect(d.findings.every(f => f.causedBy === undefined)).toBe(true);
    expect(d.headline).toBeDefined();
  });
});

describe('the cause behind the symptom', () => {
  it('links an unavailable Deployment to the refusal that keeps its pods from being created', () => {
    const d = diagnose('replicaset-failed-create', ctx => {
      const [dep] = ctx.deployments;
      dep.status!.availableReplicas = 0;
      dep.status!.readyReplicas = 0;
      dep.status!.conditions = dep.status!.conditions!.map(c =>
        c.type === 'Available'
          ? { ...c, status: 'False', reason: 'MinimumReplicasUnavailable' }
          : c,
      );
      ctx.pods = [];
    });
    expect(d.findings.map(f => [f.code, f.causedBy ?? null])).toEqual([
      ['ReplicaSetFailedCreate', null],
      [
        'DeploymentUnavailable',
        'prod-eu/Deployment/shop/orders//ReplicaSetFailedCreate',
      ],
    ]);
    expect(d.headline).toBe(
      'orders is down: its pods are refused: pods "orders-5f6d8c7b9-wq4zn" is forbidden: exceeded quota: compute-resources, requested: limits.memory=1Gi, used: limits.memory=3Gi, limited: limits.memory=3Gi.',
    );
  });

  it("names the StatefulSet's unbound claim as the cause of its unschedulable pod", () => {
    const d = diagnose('statefulset-pvc-pending');
    expect(d.findings.map(f => [f.code, f.causedBy ?? null])).toEqual([
      ['PvcPending', null],
      [
        'Unschedulable',
        'prod-eu/PersistentVolumeClaim/shop/data-orders-db-0//PvcPending',
      ],
      ['StatefulSetUnavailable', 'prod-eu/Pod/shop/orders-db-0//Unschedulable'],
    ]);
    expect(d.headline).toBe(
      'orders-db is down: PersistentVolumeClaim data-orders-db-0 is not bound, so its pods cannot be scheduled',
    );
  });

  it("names the scheduler's reasons in an unschedulable workload's headline", () => {
    expect(diagnose('pod-unschedulable').headline).toMatch(
      /^\S+(?: is down)?: its pods cannot be scheduled: \d .+$/,
    );
    expect(diagnose('pod-unschedulable').headline).not.toContain('preemption');
  });

  it('advises to uncordon when the nodes are cordoned, not to add a toleration for the cordon', () => {
    const cordoned =
      '0/3 nodes are available: 3 node(s) had untolerated taint {node.kubernetes.io/unschedulable: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    const d = diagnose('pod-unschedulable', ctx => {
      for (const pod of ctx.pods) {
        for (const c of pod.status?.conditions ?? []) {
          if (c.type === 'PodScheduled') c.message = cordoned;
        }
      }
      for (const e of ctx.events) {
        if (e.reason === 'FailedScheduling') e.message = cordoned;
      }
    });
    const fix = d.findings.find(f => f.code === 'Unschedulable')!.proposedFix!;
    expect(fix.description).toContain('kubectl uncordon');
    expect(fix.description).not.toContain('toleration');
  });

  it('says the kind and name once, without the namespace, when the cause is not a workload', () => {
    const headline = diagnose('hpa-at-max').headline!;
    expect(headline).toMatch(/^HorizontalPodAutoscaler \S+ runs /);
    expect(headline).not.toMatch(
      /HorizontalPodAutoscaler \S+: HorizontalPodAutoscaler/,
    );
    expect(headline).not.toContain('shop/');
  });

  it('explains a first exit in the headline', () => {
    expect(diagnose('pod-exited-once').headline).toBe(
      'mailer: 2.0.0 exited with code 127: its command was not found in the image (a wrong command/args path, or a binary the image lacks)',
    );
  });
});
