import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult, createPermission } from '@backstage/plugin-permission-common';
import {
  kubecopilotAuditReadPermission,
  kubecopilotDiagnosePermission,
  kubecopilotDiagnosisReadPermission,
  kubecopilotPlanApprovePermission,
  kubecopilotPlanCreatePermission,
  kubecopilotPlanExecutePermission,
  kubecopilotPlanReadPermission,
  kubecopilotPlanRevertPermission,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { KubecopilotExamplePolicy } from './KubecopilotExamplePolicy';

const claimsOf: Record<string, string[]> = {
  'user:default/guest': ['user:default/guest', 'group:default/team-shop'],
  'user:default/reviewer': ['user:default/reviewer', 'group:default/SRE'],
};

const policy = new KubecopilotExamplePolicy({
  highRiskGroup: 'group:default/sre',
  getUserInfo: async user => {
    const userEntityRef = (user.credentials.principal as { userEntityRef: string }).userEntityRef;
    return { userEntityRef, ownershipEntityRefs: claimsOf[userEntityRef] };
  },
});

const as = (userEntityRef: string) => ({
  credentials: mockCredentials.user(userEntityRef),
  info: { userEntityRef, ownershipEntityRefs: claimsOf[userEntityRef] },
});

describe('KubecopilotExamplePolicy', () => {
  it('allows permissions it does not govern', async () => {
    for (const permission of [
      kubecopilotDiagnosePermission,
      kubecopilotPlanCreatePermission,
      createPermission({ name: 'catalog.entity.read', attributes: { action: 'read' } }),
    ]) {
      await expect(policy.handle({ permission }, as('user:default/guest'))).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it.each(
    [kubecopilotPlanApprovePermission, kubecopilotPlanExecutePermission, kubecopilotPlanRevertPermission].map(
      p => [p.name, p] as const,
    ),
  )(
    'lets owners %s their low and medium plans only',
    async (_name, permission) => {
      await expect(policy.handle({ permission }, as('user:default/guest'))).resolves.toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'kubecopilot',
        resourceType: 'kubecopilot-plan',
        conditions: {
          allOf: [
            { rule: 'IS_RISK_LEVEL', resourceType: 'kubecopilot-plan', params: { levels: ['low', 'medium'] } },
            {
              rule: 'IS_ENTITY_OWNER',
              resourceType: 'kubecopilot-plan',
              params: { claims: ['user:default/guest', 'group:default/team-shop'] },
            },
          ],
        },
      });
    },
  );

  it('lets owners read the plans of their entities only', async () => {
    await expect(
      policy.handle({ permission: kubecopilotPlanReadPermission }, as('user:default/guest')),
    ).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'kubecopilot',
      resourceType: 'kubecopilot-plan',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'kubecopilot-plan',
        params: { claims: ['user:default/guest', 'group:default/team-shop'] },
      },
    });
  });

  it.each(
    [kubecopilotAuditReadPermission, kubecopilotDiagnosisReadPermission].map(p => [p.name, p] as const),
  )('lets owners %s of their entities only', async (_name, permission) => {
    await expect(policy.handle({ permission }, as('user:default/guest'))).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'kubecopilot',
      resourceType: 'kubecopilot-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'kubecopilot-entity',
        params: { claims: ['user:default/guest', 'group:default/team-shop'] },
      },
    });
  });

  it.each(
    [
      kubecopilotPlanReadPermission,
      kubecopilotPlanExecutePermission,
      kubecopilotAuditReadPermission,
      kubecopilotDiagnosisReadPermission,
    ].map(p => [p.name, p] as const),
  )('lets the high-risk group %s everything', async (_name, permission) => {
    await expect(policy.handle({ permission }, as('user:default/reviewer'))).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it.each(
    [kubecopilotPlanExecutePermission, kubecopilotPlanReadPermission, kubecopilotAuditReadPermission].map(
      p => [p.name, p] as const,
    ),
  )('denies %s without a user', async (_name, permission) => {
    await expect(policy.handle({ permission })).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});
