import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  Diagnosis,
  kubecopilotDiagnosisReadPermission,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { component } from '../__testUtils__/demoBackend';
import {
  createKubecopilotEntityConditionalDecision,
  kubecopilotEntityConditions,
} from '../permissions/conditions';
import { EntityReadAccess } from '../permissions/EntityReadAccess';
import { entityRules } from '../permissions/rules';
import { rulesetOf } from '../permissions/ruleset';
import { AuthorizedDiagnosisService } from './AuthorizedDiagnosisService';
import { DiagnosisService } from './types';

const CHECKOUT = 'component:default/checkout';
const alice = mockCredentials.user('user:default/alice');

const diagnosis: Diagnosis = {
  id: 'd-1',
  entityRef: CHECKOUT,
  createdAt: '2026-11-26T10:00:00.000Z',
  source: 'rules',
  summary: 'Crash-looping.',
  findings: [],
  recommendations: [],
  errors: [],
};

const ownerOnly = createKubecopilotEntityConditionalDecision(
  kubecopilotDiagnosisReadPermission,
  kubecopilotEntityConditions.isEntityOwner({
    claims: ['user:default/alice', 'group:default/Team-Shop'],
  }),
);

function setup(decisions: {
  diagnose: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  read: PolicyDecision;
}) {
  const inner = {
    diagnose: jest.fn(
      async (..._args: Parameters<DiagnosisService['diagnose']>) => diagnosis,
    ),
    listDiagnoses: jest.fn(
      async (..._args: Parameters<DiagnosisService['listDiagnoses']>) => [
        diagnosis,
      ],
    ),
  };
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(() => ({ result: decisions.diagnose })),
    authorizeConditional: async requests => requests.map(() => decisions.read),
  });
  const catalog = catalogServiceMock({
    entities: [
      component('checkout'),
      component('storefront', 'group:default/team-web'),
    ],
  });
  const service = new AuthorizedDiagnosisService(
    inner,
    permissions,
    new EntityReadAccess({
      permissions,
      catalog,
      rules: rulesetOf(entityRules),
    }),
  );
  return { service, inner, permissions };
}

describe('AuthorizedDiagnosisService', () => {
  it('requires kubecopilot.diagnose to diagnose and to list, before anything is read', async () => {
    const { service, inner } = setup({
      diagnose: AuthorizeResult.DENY,
      read: { result: AuthorizeResult.ALLOW },
    });
    await expect(
      service.diagnose(CHECKOUT, { credentials: alice }),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      service.listDiagnoses(CHECKOUT, { credentials: alice }),
    ).rejects.toThrow(NotAllowedError);
    expect(inner.diagnose).not.toHaveBeenCalled();
    expect(inner.listDiagnoses).not.toHaveBeenCalled();
  });

  it('answers 403 to a caller denied kubecopilot.diagnosis.read, who may still diagnose', async () => {
    const { service, inner } = setup({
      diagnose: AuthorizeResult.ALLOW,
      read: { result: AuthorizeResult.DENY },
    });
    await expect(
      service.listDiagnoses(CHECKOUT, { credentials: alice }),
    ).rejects.toThrow(/kubecopilot\.diagnosis\.read/);
    expect(inner.listDiagnoses).not.toHaveBeenCalled();
    await expect(
      service.diagnose(CHECKOUT, { credentials: alice }),
    ).resolves.toEqual(diagnosis);
  });

  it('lists the diagnoses of every entity for an unconditional allow', async () => {
    const { service, inner } = setup({
      diagnose: AuthorizeResult.ALLOW,
      read: { result: AuthorizeResult.ALLOW },
    });
    await expect(
      service.listDiagnoses('component:default/storefront', {
        credentials: alice,
        limit: 3,
      }),
    ).resolves.toEqual([diagnosis]);
    expect(inner.listDiagnoses).toHaveBeenCalledWith(
      'component:default/storefront',
      { credentials: alice, limit: 3 },
    );
  });

  it('lists the diagnoses of entities the conditions match (owner, case-insensitively) and nothing of others', async () => {
    const { service, inner } = setup({
      diagnose: AuthorizeResult.ALLOW,
      read: ownerOnly,
    });
    await expect(
      service.listDiagnoses(CHECKOUT, { credentials: alice }),
    ).resolves.toEqual([diagnosis]);
    for (const other of [
      'component:default/storefront',
      // Unknown to the catalog: owned by no one, and no hint that it is unknown.
      'component:default/nope',
    ]) {
      await expect(
        service.listDiagnoses(other, { credentials: alice }),
      ).resolves.toEqual([]);
    }
    expect(inner.listDiagnoses).toHaveBeenCalledTimes(1);
  });
});
