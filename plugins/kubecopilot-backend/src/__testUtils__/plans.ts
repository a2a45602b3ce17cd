import {
  OperationPlan,
  RiskLevel,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** A valid scale plan; tests override what they care about. */
export function makePlan(overrides: {
  id: string;
  createdAt?: string;
  status?: OperationPlan['status'];
  entityRef?: string;
  cluster?: string;
  namespace?: string | null;
  name?: string;
  risk?: RiskLevel;
  requestedBy?: string;
}): OperationPlan {
  const createdAt = overrides.createdAt ?? '2026-11-26T02:00:00.000Z';
  return {
    id: overrides.id,
    entityRef: overrides.entityRef ?? 'component:default/checkout',
    status: overrides.status ?? 'pending',
    action: 'scale',
    resource: {
      cluster: overrides.cluster ?? 'east',
      kind: 'Deployment',
      ...(overrides.namespace !== null && {
        namespace: overrides.namespace ?? 'shop',
      }),
      name: overrides.name ?? 'checkout',
    },
    params: { replicas: 5, previousReplicas: 2 },
    intent: 'scale checkout to 5',
    diff: {
      before: { spec: { replicas: 2 } },
      after: { spec: { replicas: 5 } },
    },
    risk: {
      level: overrides.risk ?? 'low',
      rationale: 'scale-up: low',
      reasons: [{ rule: 'scale-up', level: 'low', message: 'scale up by 3' }],
    },
    aiRationale: 'More replicas for the sale.',
    rationaleSource: 'rules',
    audit: {
      requestedBy: overrides.requestedBy ?? 'user:default/alice',
      confirmedBy: null,
      executedBy: null,
      timestamps: {
        createdAt,
        confirmedAt: null,
        executedAt: null,
        failedAt: null,
        revertedAt: null,
      },
    },
    approvals: [],
    requiresSecondApprover: false,
    revision: 0,
  };
}
