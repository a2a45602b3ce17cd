import { operationPlanSchema } from './plan';
import { diagnosisSchema } from './diagnosis';
import {
  kubecopilotAuditReadPermission,
  kubecopilotDiagnosisReadPermission,
  kubecopilotEntityPermissions,
  kubecopilotPermissions,
  RESOURCE_TYPE_KUBECOPILOT_ENTITY,
  RESOURCE_TYPE_KUBECOPILOT_PLAN,
} from './permissions';

const plan = {
  id: '5f0f7b8e-1d5a-4a43-9a8e-0b1f3f1d2c11',
  entityRef: 'component:default/checkout',
  status: 'pending',
  action: 'scale',
  resource: {
    cluster: 'demo',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'checkout',
  },
  params: { replicas: 5 },
  diff: {
    before: { spec: { replicas: 2 } },
    after: { spec: { replicas: 5 } },
  },
  risk: { level: 'low', rationale: 'no rule raised the level', reasons: [] },
  aiRationale: 'Requested by the user: scale checkout to 5',
  audit: {
    requestedBy: 'user:default/guest',
    confirmedBy: null,
    executedBy: null,
    timestamps: {
      createdAt: '2026-11-26T02:00:00.000Z',
      confirmedAt: null,
      executedAt: null,
      failedAt: null,
      revertedAt: null,
    },
  },
};

describe('operationPlanSchema', () => {
  it('accepts a plan with every field of the seed contract and fills defaults', () => {
    const parsed = operationPlanSchema.parse(plan);
    expect(parsed).toEqual({
      ...plan,
      rationaleSource: 'rules',
      approvals: [],
      requiresSecondApprover: false,
      revision: 0,
    });
  });

  it.each([
    ['an unknown status', { status: 'done' }],
    ['an unknown action', { action: 'exec' }],
    ['an unknown risk level', { risk: { level: 'severe', rationale: '' } }],
    ['a resource without a cluster', { resource: { kind: 'Pod', name: 'x' } }],
    ['a missing audit', { audit: undefined }],
  ])('rejects %s', (_name, patch) => {
    expect(operationPlanSchema.safeParse({ ...plan, ...patch }).success).toBe(
      false,
    );
  });
});

describe('diagnosisSchema', () => {
  it('accepts a rules diagnosis and rejects one without findings', () => {
    const diagnosis = {
      id: 'd1',
      entityRef: 'component:default/checkout',
      createdAt: '2026-11-26T02:00:00.000Z',
      source: 'rules',
      summary: '1 problem found',
      findings: [
        {
          analyzer: 'pod',
          code: 'CrashLoopBackOff',
          severity: 'error',
          cluster: 'demo',
          resource: { kind: 'Pod', namespace: 'shop', name: 'checkout-1' },
          container: 'app',
          message: 'Container app is crash-looping',
          evidence: [
            {
              type: 'field',
              path: 'status.containerStatuses[0].state.waiting.reason',
              value: 'CrashLoopBackOff',
            },
          ],
        },
      ],
      recommendations: [],
      errors: [],
    };
    expect(diagnosisSchema.parse(diagnosis)).toEqual(diagnosis);
    expect(
      diagnosisSchema.safeParse({ ...diagnosis, findings: undefined }).success,
    ).toBe(false);
  });
});

describe('permissions', () => {
  it('defines every permission once, plan permissions on the plan resource type', () => {
    const names = kubecopilotPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'kubecopilot.diagnose',
        'kubecopilot.plan.create',
        'kubecopilot.plan.approve',
        'kubecopilot.plan.execute',
        'kubecopilot.plan.revert',
        'kubecopilot.audit.read',
        'kubecopilot.diagnosis.read',
      ]),
    );
    for (const p of kubecopilotPermissions.filter(x =>
      /approve|execute|revert/.test(x.name),
    )) {
      expect(p).toMatchObject({
        type: 'resource',
        resourceType: RESOURCE_TYPE_KUBECOPILOT_PLAN,
      });
    }
  });

  it('scopes reads of audit entries and stored diagnoses by entity', () => {
    for (const p of [
      kubecopilotAuditReadPermission,
      kubecopilotDiagnosisReadPermission,
    ]) {
      expect(p).toMatchObject({
        type: 'resource',
        resourceType: RESOURCE_TYPE_KUBECOPILOT_ENTITY,
        attributes: { action: 'read' },
      });
    }
    expect(kubecopilotEntityPermissions).toEqual([
      kubecopilotAuditReadPermission,
      kubecopilotDiagnosisReadPermission,
    ]);
  });
});
