import { Diagnosis } from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** A rules-only diagnosis of the crash-looping checkout, for tests. */
export function diagnosis(overrides: Partial<Diagnosis> = {}): Diagnosis {
  return {
    id: 'diag-1',
    entityRef: 'component:default/checkout',
    createdAt: new Date(Date.now() - 10 * 60_000).toISOString(),
    source: 'rules',
    summary: 'checkout is crash-looping on a missing DATABASE_URL',
    rootCause: 'The container exits 1 at start because DATABASE_URL is unset.',
    findings: [
      {
        analyzer: 'pod',
        code: 'CrashLoopBackOff',
        severity: 'critical',
        cluster: 'demo',
        resource: {
          kind: 'Pod',
          namespace: 'shop',
          name: 'checkout-7d9f-abcde',
        },
        container: 'app',
        message: 'Container app is in CrashLoopBackOff (14 restarts)',
        evidence: [
          {
            type: 'field',
            path: 'metadata.ownerReferences',
            value: 'ReplicaSet/checkout-7d9f → Deployment/checkout',
          },
          {
            type: 'field',
            path: 'status.containerStatuses[app].lastState.terminated.exitCode',
            value: '1',
          },
          {
            type: 'event',
            reason: 'BackOff',
            count: 42,
            message: 'Back-off restarting failed container app',
          },
          {
            type: 'log',
            path: 'app (previous)',
            lines: [
              'Starting checkout 1.4.2',
              'Error: DATABASE_URL is not set',
            ],
          },
        ],
        proposedFix: {
          description: 'Restart checkout once DATABASE_URL is set',
          action: 'restart',
          target: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
        },
      },
      {
        analyzer: 'pod',
        code: 'CrashLoopBackOff',
        severity: 'error',
        cluster: 'demo',
        resource: {
          kind: 'Pod',
          namespace: 'shop',
          name: 'checkout-7d9f-fghij',
        },
        container: 'app',
        message: 'Container app is in CrashLoopBackOff (12 restarts)',
        evidence: [
          {
            type: 'field',
            path: 'metadata.ownerReferences',
            value: 'ReplicaSet/checkout-7d9f → Deployment/checkout',
          },
        ],
      },
      {
        analyzer: 'service',
        code: 'ServiceNoEndpoints',
        severity: 'warning',
        cluster: 'demo',
        resource: { kind: 'Service', namespace: 'shop', name: 'checkout-svc' },
        message: 'Service checkout-svc has no ready endpoints',
        evidence: [{ type: 'field', path: 'subsets', value: '[]' }],
      },
    ],
    recommendations: [
      {
        title: 'Roll back checkout to 1.4.1',
        detail: 'Image 1.4.1 ran without DATABASE_URL errors.',
        action: 'update',
        target: {
          cluster: 'demo',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'checkout',
        },
        params: {
          container: 'app',
          image: 'ghcr.io/kubecopilot/checkout:1.4.1',
        },
      },
      { title: 'Add DATABASE_URL to the checkout ConfigMap' },
    ],
    errors: [],
    ...overrides,
  };
}
