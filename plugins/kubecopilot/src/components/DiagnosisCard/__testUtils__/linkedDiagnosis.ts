import { Diagnosis } from '@kubecopilot/backstage-plugin-kubecopilot-common';

const CAUSE =
  'demo/Pod/shop/checkout-zfglkrn22-q8mcz/checkout/CrashLoopBackOff';
const SET_VARIABLE = {
  kind: 'env' as const,
  container: 'checkout',
  name: 'PAYMENT_GATEWAY_URL',
  path: ['containers', 'checkout', 'env', 'PAYMENT_GATEWAY_URL'],
};
const OWNERS = {
  type: 'field' as const,
  path: 'metadata.ownerReferences',
  value: 'ReplicaSet/checkout-zfglkrn22 → Deployment/checkout',
};

/**
 * The rules' diagnosis of the demo's checkout as the backend returns it:
 * findings linked cause → symptoms, causes first, and a headline.
 */
export function linkedDiagnosis(overrides: Partial<Diagnosis> = {}): Diagnosis {
  return {
    id: 'diag-linked',
    entityRef: 'component:default/checkout',
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    source: 'rules',
    summary:
      'Found 3 problems across 2 resources (1 critical, 2 errors). Deployment shop/checkout: CrashLoopBackOff, DeploymentUnavailable — …',
    headline:
      'checkout is down: 2.3.1 exits because PAYMENT_GATEWAY_URL is not set',
    findings: [
      {
        id: CAUSE,
        analyzer: 'pod',
        code: 'CrashLoopBackOff',
        severity: 'error',
        cluster: 'demo',
        resource: {
          kind: 'Pod',
          namespace: 'shop',
          name: 'checkout-zfglkrn22-q8mcz',
        },
        container: 'checkout',
        message:
          'Container "checkout" of Pod shop/checkout-zfglkrn22-q8mcz (Deployment checkout) is crash-looping: it exited with code 1 (Error) and has restarted 7 times. Its log says: Error: Missing required environment variable PAYMENT_GATEWAY_URL',
        evidence: [
          OWNERS,
          {
            type: 'field',
            path: 'status.containerStatuses[checkout].lastState.terminated.exitCode',
            value: '1',
          },
          {
            type: 'log',
            path: 'pods/checkout-zfglkrn22-q8mcz/log?container=checkout&previous=true',
            lines: [
              'Error: Missing required environment variable PAYMENT_GATEWAY_URL',
              '    at requireEnv (/app/dist/config.js:42:11)',
            ],
          },
        ],
        // As the backend proposes it: an update for the value a person types.
        proposedFix: {
          description:
            'Set PAYMENT_GATEWAY_URL on Deployment checkout. Container "checkout" exits because environment variable PAYMENT_GATEWAY_URL is not set; you type the value it needs, and the plan shows it in its diff before anyone approves it.',
          note: 'A restart alone will not help: the container exits the same way after every restart.',
          action: 'update',
          target: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
          params: {},
          asks: [SET_VARIABLE],
        },
      },
      {
        id: 'demo/Deployment/shop/checkout//DeploymentUnavailable',
        causedBy: CAUSE,
        analyzer: 'deployment',
        code: 'DeploymentUnavailable',
        severity: 'critical',
        cluster: 'demo',
        resource: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
        message:
          'Deployment shop/checkout has no available replicas (0 of 1): it serves no traffic.',
        evidence: [
          { type: 'field', path: 'status.availableReplicas', value: '0' },
        ],
      },
      {
        id: 'demo/Service/shop/checkout//ServiceNoEndpoints',
        causedBy: CAUSE,
        analyzer: 'service',
        code: 'ServiceNoEndpoints',
        severity: 'error',
        cluster: 'demo',
        resource: { kind: 'Service', namespace: 'shop', name: 'checkout' },
        message:
          'Service shop/checkout has no ready endpoints: 1 pod(s) match its selector app=checkout but none is ready (checkout-zfglkrn22-q8mcz).',
        evidence: [],
      },
    ],
    recommendations: [
      {
        title: 'Set PAYMENT_GATEWAY_URL on Deployment checkout.',
        detail:
          'Container "checkout" exits because environment variable PAYMENT_GATEWAY_URL is not set; you type the value it needs, and the plan shows it in its diff before anyone approves it. A restart alone will not help: the container exits the same way after every restart.',
        action: 'update',
        target: { kind: 'Deployment', namespace: 'shop', name: 'checkout', cluster: 'demo' },
        params: {},
        asks: [SET_VARIABLE],
      },
    ],
    errors: [],
    ...overrides,
  };
}
