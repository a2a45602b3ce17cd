import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  OperationPlan,
  WorkloadSummary,
  WorkloadsResponse,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { KubecopilotApi, ListPlansQuery, ListPlansResponse } from '../api';

export const checkoutEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'checkout',
      'backstage.io/kubernetes-namespace': 'shop',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-shop' },
};

export function workload(
  overrides: Partial<WorkloadSummary> = {},
): WorkloadSummary {
  return {
    cluster: 'demo',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'checkout',
    ready: 0,
    desired: 2,
    podPhases: { Running: 2 },
    restarts: 14,
    reasons: ['CrashLoopBackOff'],
    images: ['ghcr.io/kubecopilot/checkout:1.4.2'],
    ...overrides,
  };
}

export function workloadsResponse(
  overrides: Partial<WorkloadsResponse> = {},
): WorkloadsResponse {
  return {
    entityRef: 'component:default/checkout',
    clusters: ['demo'],
    workloads: [workload()],
    errors: [],
    ...overrides,
  };
}

export function plan(overrides: Partial<OperationPlan> = {}): OperationPlan {
  return {
    id: 'plan-1',
    entityRef: 'component:default/checkout',
    status: 'pending',
    action: 'restart',
    resource: {
      cluster: 'demo',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'checkout',
    },
    params: {},
    diff: { before: null, after: null },
    risk: { level: 'low', rationale: 'A rollout restart', reasons: [] },
    aiRationale: 'The pods crash-loop on a stale config.',
    rationaleSource: 'rules',
    audit: {
      requestedBy: 'user:default/guest',
      confirmedBy: null,
      executedBy: null,
      timestamps: {
        createdAt: new Date(Date.now() - 5 * 60_000).toISOString(),
        confirmedAt: null,
        executedAt: null,
        failedAt: null,
        revertedAt: null,
      },
    },
    approvals: [],
    requiresSecondApprover: false,
    revision: 0,
    ...overrides,
  };
}

/** A mock API whose methods never settle unless a test says otherwise. */
export function mockKubecopilotApi(): jest.Mocked<KubecopilotApi> {
  const never = (..._args: any[]) => new Promise<never>(() => {});
  return {
    getWorkloads: jest.fn<Promise<WorkloadsResponse>, [string]>(never),
    listPlans: jest.fn<Promise<ListPlansResponse>, [ListPlansQuery?]>(never),
    getPlan: jest.fn<Promise<OperationPlan>, [string]>(never),
    createPlan: jest.fn(never) as any,
    createCanaryPlan: jest.fn(never) as any,
    approvePlan: jest.fn(never) as any,
    rejectPlan: jest.fn(never) as any,
    executePlan: jest.fn(never) as any,
    revertPlan: jest.fn(never) as any,
    confirmStep: jest.fn(never) as any,
    declineStep: jest.fn(never) as any,
    getAudit: jest.fn(never) as any,
    verifyAudit: jest.fn(never) as any,
    diagnose: jest.fn(never) as any,
    listDiagnoses: jest.fn(never) as any,
    query: jest.fn(never) as any,
    listFindings: jest.fn(never) as any,
    getManifests: jest.fn(never) as any,
    checkManifest: jest.fn(never) as any,
    explainManifest: jest.fn(never) as any,
    getEvents: jest.fn(never) as any,
  };
}

/** The error the client throws for a backend error response. */
export async function backendError(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}
