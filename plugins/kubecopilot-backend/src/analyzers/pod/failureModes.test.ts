import { findingSchema } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { Severity } from '@kubecopilot/backstage-plugin-kubecopilot-common';
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
