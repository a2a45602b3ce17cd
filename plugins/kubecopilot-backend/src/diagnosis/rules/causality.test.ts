import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { createAnalysisContext, runAnalyzers } from '../../analyzers';
import { loadContext } from '../../analyzers/__fixtures__';
import { linkFindings } from './causality';
import { fixesFor } from './fixes';
import { ruleBasedDiagnosis } from './ruleBasedDiagnosis';

const RESTART_NOTE =
  'A restart alone will not help: the container exits the same way after every restart.';

function diagnose(ctx = loadContext('deployment-crashloop-service')) {
  const { findings } = runAnalyzers(ctx);
  return ruleBasedDiagnosis({ findings, contexts: [ctx], errors: [] });
}

const codeAndCause = (findings: Finding[]) =>
  findings.map(f => ({
    code: f.code,
    resource: `${f.resource.kind}/${f.resource.name}`,
    causedBy: f.causedBy,
  }));

describe('root cause first', () => {
  it('puts the crashing container before the Deployment and Service it takes down', () => {
    const { findings, headline } = diagnose();
    const cause =
      'prod-eu/Pod/payments/ledger-5f6b8d9c7b-x7k2p/app/CrashLoopBackOff';
    expect(codeAndCause(findings)).toEqual([
      {
        code: 'CrashLoopBackOff',
        resource: 'Pod/ledger-5f6b8d9c7b-x7k2p',
        causedBy: undefined,
      },
      {
        code: 'DeploymentUnavailable',
        resource: 'Deployment/ledger',
        causedBy: cause,
      },
      {
        code: 'ProgressDeadlineExceeded',
        resource: 'Deployment/ledger',
        causedBy: cause,
      },
      {
        code: 'ServiceNoEndpoints',
        resource: 'Service/ledger',
        causedBy: cause,
      },
      // The other replica crashes the same way: the same problem, not another.
      {
        code: 'CrashLoopBackOff',
        resource: 'Pod/ledger-5f6b8d9c7b-m4q9z',
        causedBy: undefined,
      },
    ]);
    expect(findings[0].id).toBe(cause);
    // Named from the log line (envconfig's wording), the tag from the pod spec.
    expect(headline).toBe(
      'ledger is down: 3.2.0 exits because LEDGER_DSN is not set',
    );
  });

  it('says "degraded" while some replicas are still ready', () => {
    const ctx = loadContext('deployment-crashloop-service');
    ctx.deployments[0].status!.readyReplicas = 1;
    expect(diagnose(ctx).headline).toBe(
      'ledger is degraded: 3.2.0 exits because LEDGER_DSN is not set',
    );
  });

  it('offers no restart for a crash caused by configuration, and none for its symptoms', () => {
    const { findings, recommendations } = diagnose();
    const asks = [
      {
        kind: 'env',
        container: 'app',
        name: 'LEDGER_DSN',
        path: ['containers', 'app', 'env', 'LEDGER_DSN'],
      },
    ];
    // The fix that fixes: set the variable, to a value the person types.
    expect(findings[0].proposedFix).toEqual({
      description:
        'Set LEDGER_DSN on Deployment ledger. Container "app" exits because environment variable LEDGER_DSN is not set; you type the value it needs, and the plan shows it in its diff before anyone approves it.',
      note: RESTART_NOTE,
      action: 'update',
      target: { kind: 'Deployment', namespace: 'payments', name: 'ledger' },
      params: {},
      asks,
    });
    for (const symptom of findings.filter(f => f.causedBy)) {
      expect(fixesFor(symptom, { findings })).toEqual([]);
    }
    expect(recommendations).toEqual([
      {
        title: 'Set LEDGER_DSN on Deployment ledger.',
        detail: `Container "app" exits because environment variable LEDGER_DSN is not set; you type the value it needs, and the plan shows it in its diff before anyone approves it. ${RESTART_NOTE}`,
        action: 'update',
        target: {
          kind: 'Deployment',
          namespace: 'payments',
          name: 'ledger',
          cluster: 'prod-eu',
        },
        params: {},
        asks,
      },
    ]);
  });

  it('asks for no value of a variable whose name says it is a credential: a Secret is the fix', () => {
    const ctx = loadContext('deployment-crashloop-service');
    const pod = ctx.pods[0] as any;
    // The same crash, with the log naming a credential.
    const text = JSON.stringify(ctx.logs);
    expect(text).toContain('LEDGER_DSN');
    const renamed = JSON.parse(text.replace(/LEDGER_DSN/g, 'LEDGER_API_TOKEN'));
    const withSecret = { ...ctx, logs: renamed } as typeof ctx;
    const [cause] = diagnose(withSecret).findings;
    expect(cause.resource.name).toBe(pod.metadata.name);
    expect(cause.proposedFix).toEqual({
      description:
        'Container "app" exits because environment variable LEDGER_API_TOKEN is not set: set it in the pod template of Deployment ledger, or run an image that does not need it. LEDGER_API_TOKEN looks like a credential: put it in a Secret and reference it with env[].valueFrom.secretKeyRef — KubeCopilot never puts secret values in a plan.',
      note: RESTART_NOTE,
    });
  });

  it('links an unbound PersistentVolumeClaim to the pod it keeps unscheduled', () => {
    const ctx = createAnalysisContext('prod-eu', {
      pods: [
        {
          metadata: { name: 'db-0', namespace: 'data' },
          spec: {
            containers: [{ name: 'postgres' }],
            volumes: [
              {
                name: 'data',
                persistentVolumeClaim: { claimName: 'data-db-0' },
              },
            ],
          },
        },
      ],
    });
    const finding = (code: string, kind: string, name: string): Finding => ({
      analyzer: 'x',
      code,
      severity: 'error',
      cluster: 'prod-eu',
      resource: { kind, namespace: 'data', name },
      message: `${kind} ${name}: ${code}.`,
      evidence: [],
    });
    const linked = linkFindings(
      [
        finding('Unschedulable', 'Pod', 'db-0'),
        finding('PvcPending', 'PersistentVolumeClaim', 'data-db-0'),
      ],
      [ctx],
    );
    expect(codeAndCause(linked)).toEqual([
      {
        code: 'PvcPending',
        resource: 'PersistentVolumeClaim/data-db-0',
        causedBy: undefined,
      },
      {
        code: 'Unschedulable',
        resource: 'Pod/db-0',
        causedBy: 'prod-eu/PersistentVolumeClaim/data/data-db-0//PvcPending',
      },
    ]);
  });

  it('links a Lost claim to the pod it keeps unscheduled', () => {
    const { findings } = diagnose(loadContext('pvc-lost'));
    expect(codeAndCause(findings)).toEqual([
      {
        code: 'PvcLost',
        resource: 'PersistentVolumeClaim/reports-data',
        causedBy: undefined,
      },
      {
        code: 'Unschedulable',
        resource: 'Pod/reports-5f9d7c6b48-nzsxz',
        causedBy:
          'prod-eu/PersistentVolumeClaim/n-pvc-lost/reports-data//PvcLost',
      },
    ]);
  });

  it("links a missing ConfigMap to its Deployment's unavailable replicas", () => {
    const pods = loadContext('pod-missing-configmap');
    const deployment = loadContext('deployment-unavailable').deployments[0];
    const owner = pods.pods[0].metadata!.ownerReferences![0].name;
    const ctx = createAnalysisContext('prod-eu', {
      ...pods,
      deployments: [
        {
          ...deployment,
          metadata: {
            ...deployment.metadata,
            name: owner.replace(/-[a-z0-9]+$/, ''),
          },
        },
      ],
    });
    const { findings, headline } = diagnose(ctx);
    expect(findings.map(f => f.code)).toEqual([
      'MissingConfigMap',
      'DeploymentUnavailable',
    ]);
    expect(findings[1].causedBy).toBe(findings[0].id);
    expect(headline).toBe(
      'orders is down: ConfigMap orders-config does not exist',
    );
  });
});

describe('a StatefulSet without its governing Service', () => {
  it('leads with the missing Service, which explains the members that cannot resolve their peers', () => {
    const { findings, headline } = diagnose(
      loadContext('statefulset-service-missing'),
    );
    const cause =
      'prod-eu/StatefulSet/w-statefulset-headless-service-missing/zk//StatefulSetServiceMissing';
    expect(codeAndCause(findings).slice(0, 4)).toEqual([
      {
        code: 'StatefulSetServiceMissing',
        resource: 'StatefulSet/zk',
        causedBy: undefined,
      },
      { code: 'ProbeFailure', resource: 'Pod/zk-0', causedBy: cause },
      { code: 'ProbeFailure', resource: 'Pod/zk-1', causedBy: cause },
      { code: 'ProbeFailure', resource: 'Pod/zk-2', causedBy: cause },
    ]);
    expect(headline).toContain('names spec.serviceName zk-hs, but Service');
  });

  it('leaves a pod whose log does not name the Service its own cause', () => {
    const ctx = loadContext('statefulset-service-missing');
    ctx.logs = ctx.logs.filter(l => l.pod !== 'zk-1');
    const { findings } = diagnose(ctx);
    expect(
      findings.find(
        f => f.resource.name === 'zk-1' && f.code === 'ProbeFailure',
      )?.causedBy,
    ).toBeUndefined();
  });
});
