import { FINDING_CODES } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { defaultAnalyzers, runAnalyzers } from './runAnalyzers';
import type { Analyzer } from './types';
import { createAnalysisContext } from './types';
import { CLUSTER, f, FIXTURES, loadContext } from './__fixtures__';

/** Every fixture and the codes ALL analyzers together must find in it, worst first. */
const expectedCodes: Record<string, string[]> = {
  // A replica that restarted once 48 minutes ago is a note, not a problem.
  'healthy-all-kinds': ['ContainerRecovered'],
  'deployment-rolling': ['RolloutInProgress'],
  // Created 15 s ago, its pods pulling: the first rollout at work.
  'deployment-first-rollout': ['RolloutInProgress', 'ServiceNoEndpoints'],
  'deployment-paused': ['DeploymentPaused'],
  'deployment-terminating-rollout': ['RolloutInProgress'],
  'replicaset-failed-create': ['ReplicaSetFailedCreate'],
  'pod-recovered': ['ContainerRecovered'],
  'pod-exited-once': ['ContainerExited'],
  'pod-sidecar-crashloop': ['CrashLoopBackOff'],
  'pod-evicted-leftovers': ['LeftoverPods'],
  'pod-missing-key': ['MissingConfigMap', 'MissingSecret'],
  'hpa-pinned': [],
  'job-succeeded-after-retry': [],
  'job-deadline-exceeded': ['JobFailed'],
  'statefulset-pvc-pending': [
    'StatefulSetUnavailable',
    'Unschedulable',
    'PvcPending',
  ],
  'ingress-missing-tls': ['IngressMissingTlsSecret', 'IngressMissingClass'],
  'pod-crashloop': ['CrashLoopBackOff'],
  'pod-crashloop-between-restarts': ['CrashLoopBackOff'],
  'pod-imagepull': ['ImagePullBackOff'],
  'pod-oomkilled': ['OOMKilled'],
  'pod-unschedulable': ['Unschedulable'],
  'pod-readiness-failure': ['ProbeFailure'],
  'pod-liveness-crashloop': ['ProbeFailure'],
  'pod-missing-configmap': ['MissingConfigMap'],
  'pod-missing-secret-volume': ['MissingSecret'],
  'deployment-unavailable': ['DeploymentUnavailable'],
  'deployment-progress-deadline': ['ProgressDeadlineExceeded'],
  'deployment-crashloop-service': [
    'DeploymentUnavailable',
    'CrashLoopBackOff',
    'CrashLoopBackOff',
    'ProgressDeadlineExceeded',
    'ServiceNoEndpoints',
  ],
  'statefulset-unavailable': ['StatefulSetUnavailable'],
  'statefulset-rolling-update': ['RolloutInProgress'],
  'statefulset-pod-terminating': ['RolloutInProgress'],
  'statefulset-rollout-stuck': ['CrashLoopBackOff', 'StatefulSetUnavailable'],
  'daemonset-unavailable': ['DaemonSetUnavailable'],
  'daemonset-rolling-update': ['RolloutInProgress'],
  'daemonset-rollout-imagepull': ['ImagePullBackOff', 'DaemonSetUnavailable'],
  'pdb-blocks-drain': ['PdbNoDisruptionsAllowed'],
  'hpa-replicas-fight': ['HpaReplicasOverridden'],
  'hpa-oscillating': [],
  'cronjob-forbid-hung-job': ['CronJobMissedRuns'],
  'cronjob-suspended': [],
  'cronjob-forbid-long-run': [],
  'job-pod-evicted': [],
  'hpa-at-max-cooling-down': [],
  'statefulset-quota-failedcreate': ['StatefulSetUnavailable'],
  'daemonset-podsecurity-refused': ['DaemonSetUnavailable'],
  'statefulset-service-missing': [
    'StatefulSetUnavailable',
    'StatefulSetServiceMissing',
    'ServiceNoEndpoints',
    'ProbeFailure',
    'ProbeFailure',
    'ProbeFailure',
  ],
  // A budget exhausted by a rollout for a moment: information.
  'pdb-rollout': ['RolloutInProgress', 'PdbNoDisruptionsAllowed'],
  // A node tainted after the pod started: information, nothing is down.
  'daemonset-misscheduled': ['DaemonSetMisscheduled'],
  'service-selector-mismatch': ['ServiceNoEndpoints'],
  'service-pods-not-ready': ['ServiceNoEndpoints'],
  'service-named-targetport': ['ServiceNoEndpoints'],
  'service-numeric-targetport': ['ServicePortMismatch'],
  // A container that declares no ports may serve the targetPort all the same.
  'service-undeclared-port': [],
  'service-selectorless-no-endpoints': ['ServiceNoEndpoints'],
  'service-loadbalancer-failed': ['ServiceLoadBalancerPending'],
  'ingress-missing-service': ['IngressMissingService'],
  'ingress-service-port': ['IngressServicePortMismatch'],
  'hpa-at-max': ['HpaAtMaxReplicas'],
  'hpa-unable-to-scale': ['HpaUnableToScale'],
  'pvc-provisioning-failed': ['PvcPending'],
  // Lost, with its pod unschedulable: the claim is the cause.
  'pvc-lost': ['Unschedulable', 'PvcLost'],
  'pvc-provisioner-stuck': ['PvcPending'],
  'netpol-default-deny': ['NetworkPolicyBlocksService'],
  'netpol-service-port': ['NetworkPolicyBlocksService'],
  'node-not-ready': ['NodeNotReady'],
  'node-pressure': ['NodePressure'],
  'node-disk-pressure-eviction': ['NodePressure', 'LeftoverPods'],
  'job-failed': ['JobFailed'],
  'pod-startup-probe-loop': [
    'DeploymentUnavailable',
    'ProbeFailure',
    'ProgressDeadlineExceeded',
  ],
  'pod-startup-window': ['RolloutInProgress'],
  'pod-image-pull-denied': ['DeploymentUnavailable', 'ImagePullBackOff'],
  'pod-image-pull-rate-limit': ['DeploymentUnavailable', 'ImagePullBackOff'],
  'pod-old-failedmount': [],
  'pod-init-completed-after-retries': [],
  'pod-run-as-non-root': [
    'DeploymentUnavailable',
    'ContainerCreateError',
    'ContainerCreateError',
    'ProgressDeadlineExceeded',
  ],
  'pod-start-error': ['DeploymentUnavailable', 'ContainerCreateError'],
  'pod-init-waiting': [
    'DeploymentUnavailable',
    'InitContainerStuck',
    'ProgressDeadlineExceeded',
  ],
  'pod-init-migration-running': ['RolloutInProgress'],
  'pod-sandbox-failed': [
    'DeploymentUnavailable',
    'PodSandboxFailed',
    'ProgressDeadlineExceeded',
  ],
  'pod-multi-attach': ['VolumeMountFailed', 'ProgressDeadlineExceeded'],
  'pod-transient-attach': [],
  'pod-stuck-terminating': [
    'NodeNotReady',
    'PodStuckTerminating',
    'StatefulSetUnavailable',
  ],
  'pod-image-pull-secret-missing': [
    'DeploymentUnavailable',
    'ImagePullBackOff',
  ],
  'pod-exec-format-error': [
    'DeploymentUnavailable',
    'CrashLoopBackOff',
    'CrashLoopBackOff',
    'ProgressDeadlineExceeded',
  ],
};

function stub(name: string, findings: Finding[] | (() => Finding[])): Analyzer {
  return {
    name,
    kinds: ['Pod'],
    analyze: () => (typeof findings === 'function' ? findings() : findings),
  };
}

function finding(overrides: Partial<Finding>): Finding {
  return {
    analyzer: 'stub',
    code: 'CrashLoopBackOff',
    severity: 'error',
    cluster: CLUSTER,
    resource: { kind: 'Pod', namespace: 'shop', name: 'a' },
    container: 'app',
    message: 'm',
    evidence: [],
    ...overrides,
  };
}

describe('runAnalyzers', () => {
  it('covers every fixture, and every finding code is exercised by one', () => {
    expect(Object.keys(expectedCodes).sort()).toEqual(FIXTURES);
    const found = new Set(Object.values(expectedCodes).flat());
    expect(FINDING_CODES.filter(c => !found.has(c))).toEqual([]);
  });

  it.each(Object.entries(expectedCodes))(
    '%s: the default analyzers find exactly the expected codes',
    (fixture, codes) => {
      const result = runAnalyzers(loadContext(fixture));
      expect(result.errors).toEqual([]);
      expect(result.findings.map(x => x.code)).toEqual(codes);
    },
  );

  it('records a throwing analyzer as an error and keeps the other findings', () => {
    const ok = finding({ analyzer: 'ok' });
    const result = runAnalyzers(createAnalysisContext(CLUSTER), [
      stub('broken', () => {
        throw new TypeError(
          "Cannot read properties of undefined (reading 'conditions')",
        );
      }),
      stub('ok', [ok]),
      stub('weird', () => {
        // Non-Error throwables happen (a rejected string); they still become text.
        throw 'boom'; // eslint-disable-line no-throw-literal
      }),
    ]);
    expect(result).toEqual({
      findings: [ok],
      errors: [
        "broken: Cannot read properties of undefined (reading 'conditions')",
        'weird: boom',
      ],
    });
  });

  it('merges duplicates (same code, resource and container) keeping the worst severity and all evidence', () => {
    const first = finding({
      severity: 'warning',
      message: 'first',
      evidence: [f('a', '1')],
    });
    const second = finding({
      severity: 'critical',
      message: 'second',
      evidence: [f('a', '1'), f('b', '2')],
      proposedFix: { description: 'fix' },
    });
    const otherContainer = finding({ container: 'sidecar', severity: 'info' });
    const result = runAnalyzers(createAnalysisContext(CLUSTER), [
      stub('one', [first]),
      stub('two', [second, otherContainer]),
    ]);
    expect(result.findings).toEqual([
      {
        ...first,
        severity: 'critical',
        evidence: [f('a', '1'), f('b', '2')],
        proposedFix: { description: 'fix' },
      },
      otherContainer,
    ]);
  });

  it('sorts worst first and keeps analyzer order within a severity', () => {
    const ctx = loadContext('pod-crashloop');
    const extra = loadContext('deployment-unavailable');
    const hpa = loadContext('hpa-at-max');
    ctx.deployments = extra.deployments;
    ctx.hpas = hpa.hpas;
    ctx.nodes = loadContext('node-not-ready').nodes;
    const result = runAnalyzers(ctx);
    expect(result.findings.map(x => [x.severity, x.code])).toEqual([
      ['critical', 'DeploymentUnavailable'],
      ['critical', 'NodeNotReady'],
      ['error', 'CrashLoopBackOff'],
      ['warning', 'HpaAtMaxReplicas'],
    ]);
  });

  it('exports one analyzer per kind with unique names', () => {
    const names = defaultAnalyzers.map(a => a.name);
    expect(new Set(names).size).toBe(names.length);
    const kinds = defaultAnalyzers.flatMap(a => a.kinds);
    expect(new Set(kinds).size).toBe(kinds.length);
  });
});
