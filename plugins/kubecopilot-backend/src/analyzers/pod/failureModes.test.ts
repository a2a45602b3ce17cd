import { findingSchema } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { Severity } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { linkFindings } from '../../diagnosis/rules/causality';
import { ruleBasedDiagnosis } from '../../diagnosis/rules/ruleBasedDiagnosis';
import { runAnalyzers } from '../runAnalyzers';
import { loadContext } from '../__fixtures__';

/**
 * Pod failure modes as real clusters produce them, each beside the healthy
 * state that looks like it (#19). `expected` lists every finding of the
 * fixture in order; `fix` holds parts the proposed fix must say.
 */
interface Expected {
  code: string;
  severity: Severity;
  resource: string;
  container?: string;
  says: string[];
  fix?: string[];
  /** The fix offers no plan (another tag, a restart cannot help). */
  adviceOnly?: boolean;
}

const cases: Array<[string, string, Expected[]]> = [
  [
    'a startup probe that kills a slow starter over and over',
    'pod-startup-probe-loop',
    [
      {
        code: 'DeploymentUnavailable',
        severity: 'critical',
        resource: 'Deployment/ledger',
        says: ['no available replicas'],
      },
      {
        code: 'ProbeFailure',
        severity: 'error',
        resource: 'Pod/ledger-jlqgshkkh-v8zq4',
        container: 'app',
        says: [
          'is restarted over and over by its failing startup probe',
          'Its startup probe fails: Startup probe failed',
        ],
        fix: ['It allows 30 s', 'raise failureThreshold'],
        adviceOnly: true,
      },
      {
        code: 'ProgressDeadlineExceeded',
        severity: 'error',
        resource: 'Deployment/ledger',
        says: ['has timed out progressing'],
      },
    ],
  ],
  [
    'a startup probe failing 95 s into a 300 s allowance, on a new pod of a rollout',
    'pod-startup-window',
    [
      {
        code: 'RolloutInProgress',
        severity: 'info',
        resource: 'Deployment/quotes',
        says: ['is rolling out revision 4'],
      },
    ],
  ],
  [
    'a private repository pulled without an imagePullSecret',
    'pod-image-pull-denied',
    [
      {
        code: 'DeploymentUnavailable',
        severity: 'critical',
        resource: 'Deployment/payments-worker',
        says: ['no available replicas'],
      },
      {
        code: 'ImagePullBackOff',
        severity: 'error',
        resource: 'Pod/payments-worker-bjjdmqjmb-h7m2k',
        container: 'payments-worker',
        says: ['pull access denied'],
        fix: [
          'the pod has no imagePullSecrets',
          'add it to Deployment payments-worker',
        ],
        adviceOnly: true,
      },
    ],
  ],
  [
    "an image pull refused by Docker Hub's rate limit",
    'pod-image-pull-rate-limit',
    [
      {
        code: 'DeploymentUnavailable',
        severity: 'critical',
        resource: 'Deployment/session-cache',
        says: ['no available replicas'],
      },
      {
        code: 'ImagePullBackOff',
        severity: 'error',
        resource: 'Pod/session-cache-tthggbmsd-h7m2k',
        container: 'session-cache',
        says: ['toomanyrequests'],
        fix: ['rate-limiting pulls', 'the image exists'],
        adviceOnly: true,
      },
    ],
  ],
  [
    'FailedMount "configmap not found" events from before the ConfigMap existed, the pod ready since',
    'pod-old-failedmount',
    [],
  ],
  [
    'an init container that failed twice 3 h ago and then completed',
    'pod-init-completed-after-retries',
    [],
  ],
  [
    'a pod template with runAsNonRoot running an image that runs as root',
    'pod-run-as-non-root',
    [
      {
        code: 'DeploymentUnavailable',
        severity: 'critical',
        resource: 'Deployment/billing-api',
        says: ['no available replicas (0 of 2)'],
      },
      ...['q2w7x', 'z5k9m'].map(pod => ({
        code: 'ContainerCreateError',
        severity: 'error' as const,
        resource: `Pod/billing-api-bmqctdnpm-${pod}`,
        container: 'app',
        says: [
          'cannot be created (CreateContainerConfigError): container has runAsNonRoot and image will run as root',
        ],
        fix: ['image nginx:1.27.3 runs as root', 'securityContext.runAsUser'],
        adviceOnly: true,
      })),
      {
        code: 'ProgressDeadlineExceeded',
        severity: 'error',
        resource: 'Deployment/billing-api',
        says: ['has timed out progressing'],
      },
    ],
  ],
  [
    'a command the image does not have, on its first start (RunContainerError, StartError)',
    'pod-start-error',
    [
      {
        code: 'DeploymentUnavailable',
        severity: 'critical',
        resource: 'Deployment/reports',
        says: ['no available replicas'],
      },
      {
        code: 'ContainerCreateError',
        severity: 'error',
        resource: 'Pod/reports-ftnncfgnm-f6d3s',
        container: 'app',
        says: [
          'cannot be started (RunContainerError)',
          'exec: "migrate": executable file not found in $PATH',
        ],
        fix: ['The image has no executable "migrate"', 'fix the command/args'],
        adviceOnly: true,
      },
    ],
  ],
  [
    'an init container waiting 22 min for a Service that does not exist',
    'pod-init-waiting',
    [
      {
        code: 'DeploymentUnavailable',
        severity: 'critical',
        resource: 'Deployment/myapp',
        says: ['no available replicas'],
      },
      {
        code: 'InitContainerStuck',
        severity: 'error',
        resource: 'Pod/myapp-hfsrtbgmj-n7b4r',
        container: 'init-myservice',
        says: [
          'has been running for 22 min without finishing (Init:0/2)',
          "Its log repeats: nslookup: can't resolve 'myservice.",
        ],
        fix: ['until nslookup myservice', 'make that dependency available'],
        adviceOnly: true,
      },
      {
        code: 'ProgressDeadlineExceeded',
        severity: 'error',
        resource: 'Deployment/myapp',
        says: ['has timed out progressing'],
      },
    ],
  ],
  [
    "a rollout's new pod running its migration init container for 90 s",
    'pod-init-migration-running',
    [
      {
        code: 'RolloutInProgress',
        severity: 'info',
        resource: 'Deployment/myapp',
        says: ['a change at work, not a failure'],
      },
    ],
  ],
  [
    'a pod whose node cannot set up its network (Calico, FailedCreatePodSandBox)',
    'pod-sandbox-failed',
    [
      {
        code: 'DeploymentUnavailable',
        severity: 'critical',
        resource: 'Deployment/notifier',
        says: ['no available replicas'],
      },
      {
        code: 'PodSandboxFailed',
        severity: 'error',
        resource: 'Pod/notifier-ftjbkdssf-x2c8v',
        says: [
          'has waited in ContainerCreating for 16 min: node eval-node-3 cannot create its sandbox (63 failed attempts), because the network (CNI) plugin fails: Failed to create pod sandbox',
        ],
        fix: ['The pod is not the problem', 'calico-node'],
        adviceOnly: true,
      },
      {
        code: 'ProgressDeadlineExceeded',
        severity: 'error',
        resource: 'Deployment/notifier',
        says: ['has timed out progressing'],
      },
    ],
  ],
  [
    "a rolling update's new pod waiting for the ReadWriteOnce volume the old pod holds",
    'pod-multi-attach',
    [
      {
        code: 'VolumeMountFailed',
        severity: 'error',
        resource: 'Pod/grafana-gspfhnjpm-w4n7t',
        says: [
          'its volume storage cannot be attached: Multi-Attach error',
          'Volume is already used by pod(s) grafana-6b9f8d7c5-g8k2p',
        ],
        fix: [
          'PersistentVolumeClaim grafana-storage',
          'give Deployment grafana strategy Recreate',
        ],
        adviceOnly: true,
      },
      {
        code: 'ProgressDeadlineExceeded',
        severity: 'error',
        resource: 'Deployment/grafana',
        says: ['has timed out progressing'],
      },
    ],
  ],
  [
    'a rescheduled pod whose volume attach and sandbox failed once, then ran and is ready for 23 min',
    'pod-transient-attach',
    [],
  ],
  [
    'a private image whose imagePullSecret was never created',
    'pod-image-pull-secret-missing',
    [
      {
        code: 'DeploymentUnavailable',
        severity: 'critical',
        resource: 'Deployment/billing',
        says: ['no available replicas'],
      },
      {
        code: 'ImagePullBackOff',
        severity: 'error',
        resource: 'Pod/billing-jdplglbfr-h7m2k',
        container: 'billing',
        says: ['401 Unauthorized'],
        fix: [
          "The pod's imagePullSecret ghcr-credentials does not exist in namespace p-image-pull-secret-missing",
          'Create that Secret',
        ],
        adviceOnly: true,
      },
    ],
  ],
  [
    'an image built for another CPU architecture ("exec format error")',
    'pod-exec-format-error',
    [
      {
        code: 'DeploymentUnavailable',
        severity: 'critical',
        resource: 'Deployment/pricing',
        says: ['no available replicas (0 of 2)'],
      },
      ...['c3n8q', 'h5w2r'].map(pod => ({
        code: 'CrashLoopBackOff',
        severity: 'error' as const,
        resource: `Pod/pricing-qldfttfhj-${pod}`,
        container: 'app',
        says: [
          'Its log says: exec /usr/local/bin/pricing-server: exec format error',
        ],
        fix: ['built for another CPU architecture', '--platform'],
        adviceOnly: true,
      })),
      {
        code: 'ProgressDeadlineExceeded',
        severity: 'error',
        resource: 'Deployment/pricing',
        says: ['has timed out progressing'],
      },
    ],
  ],
];

describe('pod failure modes and their healthy look-alikes', () => {
  it.each(cases)('%s (%s)', (_what, fixture, expected) => {
    const { findings, errors } = runAnalyzers(loadContext(fixture));
    expect(errors).toEqual([]);
    expect(
      findings.map(f => ({
        code: f.code,
        severity: f.severity,
        resource: `${f.resource.kind}/${f.resource.name}`,
        ...(f.container ? { container: f.container } : {}),
      })),
    ).toEqual(expected.map(({ says: _s, fix: _f, adviceOnly: _a, ...r }) => r));
    findings.forEach((f, i) => {
      const want = expected[i];
      for (const part of want.says) expect(f.message).toContain(part);
      for (const part of want.fix ?? [])
        expect(f.proposedFix?.description).toContain(part);
      // Advice only: no plan, and the note says why a restart cannot help.
      expect({
        action: want.adviceOnly ? f.proposedFix?.action : undefined,
        note: want.adviceOnly
          ? /A restart alone will not help/.test(f.proposedFix?.note ?? '')
          : true,
      }).toEqual({ action: undefined, note: true });
      expect(findingSchema.parse(f)).toEqual(f);
    });
  });

  it('calls an init container stuck after 5 min as a warning, and before that nothing', () => {
    const ctx = loadContext('pod-init-waiting');
    const started = Date.parse('2026-01-15T11:38:03Z');
    ctx.now = started + 6 * 60_000;
    const stuck = runAnalyzers(ctx).findings.find(
      f => f.code === 'InitContainerStuck',
    );
    expect(stuck?.severity).toBe('warning');
    ctx.now = started + 4 * 60_000;
    expect(runAnalyzers(ctx).findings.map(f => f.code)).not.toContain(
      'InitContainerStuck',
    );
  });

  it('gives an init container whose log makes progress (a long migration) 20 min before calling it stuck', () => {
    const ctx = loadContext('pod-init-migration-running');
    const started = Date.parse('2026-01-15T11:58:33Z');
    const stuck = () =>
      runAnalyzers(ctx).findings.find(f => f.code === 'InitContainerStuck');
    ctx.now = started + 8 * 60_000;
    expect(stuck()).toBeUndefined();
    ctx.now = started + 25 * 60_000;
    expect(stuck()?.severity).toBe('warning');
    expect(stuck()?.message).not.toContain('Its log repeats');
  });

  it('waits out the first retries of a young pod before calling its sandbox or volume failed', () => {
    for (const [fixture, code] of [
      ['pod-sandbox-failed', 'PodSandboxFailed'],
      ['pod-multi-attach', 'VolumeMountFailed'],
    ]) {
      const ctx = loadContext(fixture);
      const [pod] = ctx.pods.filter(p => p.status?.phase === 'Pending');
      const created = Date.parse(String(pod.metadata!.creationTimestamp));
      ctx.now = created + 30_000;
      ctx.events = ctx.events
        .filter(e => e.count === 1 && e.reason !== 'Scheduled')
        .slice(0, 1);
      expect(runAnalyzers(ctx).findings.map(f => f.code)).not.toContain(code);
    }
  });

  it('names a CSI driver that is not running on the node', () => {
    const ctx = loadContext('pod-multi-attach');
    ctx.events = ctx.events.filter(e => e.reason !== 'FailedAttachVolume');
    ctx.events.push({
      ...ctx.events.find(e => e.reason === 'FailedMount')!,
      message:
        'MountVolume.MountDevice failed for volume "pvc-6f1d2c3b-8a47-4e5b-9c0d-2e7f8a9b1c4d" : kubernetes.io/csi: attacher.MountDevice failed to create newCsiDriverClient: driver name pd.csi.storage.gke.io not found in the list of registered CSI drivers',
    });
    const mount = runAnalyzers(ctx).findings.find(
      f => f.code === 'VolumeMountFailed',
    );
    expect(mount?.proposedFix?.description).toContain(
      'The CSI driver pd.csi.storage.gke.io is not running on node eval-node-3',
    );
  });

  it('leaves a missing ConfigMap in FailedMount to the missing-config rule', () => {
    const ctx = loadContext('pod-multi-attach');
    for (const e of ctx.events.filter(x => x.reason === 'FailedMount')) {
      e.message =
        'MountVolume.SetUp failed for volume "config" : configmap "grafana-ini" not found';
    }
    ctx.events = ctx.events.filter(e => e.reason !== 'FailedAttachVolume');
    const codes = runAnalyzers(ctx).findings.map(f => f.code);
    expect(codes).toContain('MissingConfigMap');
    expect(codes).not.toContain('VolumeMountFailed');
  });

  it('tells a crash loop of a command the image lacks to fix the command, not the application', () => {
    const ctx = loadContext('pod-start-error');
    const cs = ctx.pods[0].status!.containerStatuses![0];
    cs.restartCount = 4;
    cs.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: 'back-off 1m20s restarting failed container=app',
      },
    };
    const loop = runAnalyzers(ctx).findings.find(
      f => f.code === 'CrashLoopBackOff',
    );
    expect(loop?.message).toContain('exited with code 128 (StartError)');
    expect(loop?.proposedFix?.description).toContain(
      'The runtime cannot run the command of container "app"',
    );
  });

  it('links a StatefulSet pod stuck Terminating on a lost node: node, then pod, then StatefulSet', () => {
    const ctx = loadContext('pod-stuck-terminating');
    const linked = linkFindings(runAnalyzers(ctx).findings, [ctx]);
    expect(linked.map(f => [f.code, f.causedBy?.split('/').pop()])).toEqual([
      ['NodeNotReady', undefined],
      ['PodStuckTerminating', 'NodeNotReady'],
      ['StatefulSetUnavailable', 'PodStuckTerminating'],
    ]);
    expect(linked[1].message).toContain(
      'has been Terminating for 41 min past its grace period. Its node eval-node-4 is not ready (Kubelet stopped posting node status), so no kubelet confirms that its containers stopped. StatefulSet zk does not recreate zk-0 while this pod exists.',
    );
    expect(linked[1].proposedFix?.description).toContain('--force');
  });

  it('leaves a pod within minutes of its deletion alone, and names a finalizer that holds one', () => {
    const ctx = loadContext('pod-stuck-terminating');
    const [pod] = ctx.pods;
    const deleted = Date.parse(String(pod.metadata!.deletionTimestamp));
    ctx.now = deleted + 2 * 60_000;
    expect(runAnalyzers(ctx).findings.map(f => f.code)).not.toContain(
      'PodStuckTerminating',
    );
    ctx.now = deleted + 20 * 60_000;
    ctx.nodes = [];
    pod.metadata!.finalizers = ['backup.example.com/snapshot'];
    const stuck = runAnalyzers(ctx).findings.find(
      f => f.code === 'PodStuckTerminating',
    );
    expect(stuck?.message).toContain(
      'Finalizers hold it: backup.example.com/snapshot.',
    );
    expect(stuck?.proposedFix?.description).toContain(
      'finalizer backup.example.com/snapshot',
    );
  });

  it.each([
    [
      'no match for platform in manifest: not found',
      "has no variant for the node's OS/architecture",
    ],
    [
      'failed to do request: Head "https://registry.acme.dev/v2/payments-worker/manifests/3.2.0": tls: failed to verify certificate: x509: certificate signed by unknown authority',
      "the registry's CA",
    ],
  ])(
    'gives advice, not another tag, for a pull failing with %s',
    (answer, advice) => {
      const ctx = loadContext('pod-image-pull-denied');
      for (const e of ctx.events.filter(x =>
        /^Failed to pull image/.test(x.message ?? ''),
      )) {
        e.message = `Failed to pull image "acme/payments-worker:3.2.0": ${answer}`;
      }
      const pull = runAnalyzers(ctx).findings.find(
        f => f.code === 'ImagePullBackOff',
      );
      expect(pull?.proposedFix?.description).toContain(advice);
      expect(pull?.proposedFix?.action).toBeUndefined();
    },
  );

  it.each([
    [
      'pod-startup-probe-loop',
      'ledger is down: 5.4.0 is killed by its failing startup probe',
    ],
    [
      'pod-run-as-non-root',
      'billing-api is down: 1.27.3 cannot be created: its image runs as root but the pod requires runAsNonRoot',
    ],
    [
      'pod-start-error',
      'reports is down: 3.1.0 cannot be started: its image has no executable "migrate"',
    ],
    [
      'pod-init-waiting',
      "myapp is down: init container \"init-myservice\" has not finished after 22 min: nslookup: can't resolve 'myservice.p-init-waiting-for-service.svc.cluster.local'",
    ],
    [
      'pod-sandbox-failed',
      'notifier is down: the network (CNI) plugin on node eval-node-3 cannot set up its pod',
    ],
    [
      'pod-multi-attach',
      'grafana: volume storage is still attached to another node (Multi-Attach)',
    ],
  ])('leads the diagnosis of %s with its cause', (fixture, headline) => {
    const ctx = loadContext(fixture);
    const { findings } = runAnalyzers(ctx);
    expect(
      ruleBasedDiagnosis({ findings, contexts: [ctx], errors: [] }).headline,
    ).toBe(headline);
  });

  it('still proposes another image for an official image that does not exist (a typo)', () => {
    const ctx = loadContext('pod-image-pull-denied');
    for (const e of ctx.events) {
      e.message = e.message?.replace(
        /docker\.io\/acme\/payments-worker/g,
        'docker.io/library/ngnix',
      );
    }
    const pull = runAnalyzers(ctx).findings.find(
      f => f.code === 'ImagePullBackOff',
    );
    expect(pull?.proposedFix?.description).toContain('has no image');
  });
});
