import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { createAnalysisContext } from '../../analyzers';
import { recommendationsFrom, ruleBasedDiagnosis } from './ruleBasedDiagnosis';

const pod = (cluster: string, name: string): Finding => ({
  analyzer: 'pod',
  code: 'CrashLoopBackOff',
  severity: 'error',
  cluster,
  resource: { kind: 'Pod', namespace: 'shop', name },
  container: 'app',
  message: `Container "app" of Pod shop/${name} is crash-looping`,
  evidence: [],
  proposedFix: {
    description: 'Fix the cause. Then restart Deployment/web.',
    action: 'restart',
    target: { kind: 'Deployment', namespace: 'shop', name: 'web' },
  },
});

const deployment = (cluster: string): Finding => ({
  analyzer: 'deployment',
  code: 'DeploymentUnavailable',
  severity: 'critical',
  cluster,
  resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
  message:
    'Deployment shop/web has no available replicas (0 of 2): it serves no traffic.',
  evidence: [],
  proposedFix: { description: 'See the pod findings of web for the cause.' },
});

function context(cluster: string) {
  return createAnalysisContext(cluster, {
    pods: [
      {
        metadata: {
          name: 'web-5d9-a',
          namespace: 'shop',
          labels: { 'pod-template-hash': '5d9' },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: 'web-5d9',
              uid: 'u',
              controller: true,
            },
          ],
        },
      },
    ],
  });
}

describe('ruleBasedDiagnosis', () => {
  it('summarises by workload, cause first, naming clusters when there are several', () => {
    const findings = [
      deployment('east'),
      pod('east', 'web-5d9-a'),
      deployment('west'),
    ];
    const { summary, recommendations } = ruleBasedDiagnosis({
      findings,
      contexts: [context('east'), context('west')],
      errors: ["cluster 'west': Node n1 could not be read: timeout"],
    });
    expect(summary).toBe(
      'Found 3 problems across 2 resources (2 critical, 1 error). ' +
        'Deployment shop/web (cluster east): CrashLoopBackOff, DeploymentUnavailable — Container "app" of Pod shop/web-5d9-a is crash-looping. ' +
        'Deployment shop/web (cluster west): DeploymentUnavailable — Deployment shop/web has no available replicas (0 of 2): it serves no traffic. ' +
        'Partial: 1 part of the context could not be read (see errors).',
    );
    expect(recommendations).toEqual([
      {
        title: 'Restart Deployment shop/web',
        detail: 'Fix the cause. Then restart Deployment/web.',
        action: 'restart',
        target: {
          kind: 'Deployment',
          namespace: 'shop',
          name: 'web',
          cluster: 'east',
        },
      },
      { title: 'See the pod findings of web for the cause.' },
    ]);
  });

  it('says so when everything is healthy, or when nothing could be read', () => {
    expect(
      ruleBasedDiagnosis({
        findings: [],
        contexts: [context('east')],
        errors: [],
      }).summary,
    ).toBe(
      'No problems found: 1 pod and its workloads in cluster east look healthy.',
    );
    expect(
      ruleBasedDiagnosis({
        findings: [],
        contexts: [],
        errors: ['The workloads of x could not be read: down'],
      }),
    ).toEqual({
      summary:
        'Nothing could be read for this entity, so nothing was diagnosed: The workloads of x could not be read: down',
      findings: [],
      recommendations: [],
    });
  });

  it('recommends the same action on the same target once per cluster', () => {
    const recs = recommendationsFrom([
      pod('east', 'a'),
      pod('east', 'b'),
      pod('west', 'c'),
    ]);
    expect(recs.map(r => `${r.action} ${r.target?.cluster}`)).toEqual([
      'restart east',
      'restart west',
    ]);
  });
});
