import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  Finding,
  kubecopilotDiagnosisReadPermission,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { component } from '../__testUtils__/demoBackend';
import {
  createKubecopilotEntityConditionalDecision,
  kubecopilotEntityConditions as is,
} from '../permissions/conditions';
import { EntityReadAccess } from '../permissions/EntityReadAccess';
import { entityRules } from '../permissions/rules';
import { rulesetOf } from '../permissions/ruleset';
import { AuthorizedFindingReader } from './AuthorizedFindingReader';
import { DatabaseFindingStore } from './DatabaseFindingStore';

jest.setTimeout(60_000);

const CHECKOUT = 'component:default/checkout';
const STOREFRONT = 'component:default/storefront';
const alice = mockCredentials.user('user:default/alice');
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const finding = (name: string): Finding => ({
  analyzer: 'pod',
  code: 'CrashLoopBackOff',
  severity: 'error',
  cluster: 'demo',
  resource: { kind: 'Pod', namespace: 'shop', name },
  message: `${name} crash-loops`,
  evidence: [],
});

async function setup(
  decision: PolicyDecision,
  diagnose:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const store = await DatabaseFindingStore.create({
    database: mockServices.database({
      knex: await databases.init('SQLITE_3'),
    }),
  });
  for (const [entityRef, owner] of [
    [CHECKOUT, 'group:default/team-shop'],
    [STOREFRONT, 'group:default/team-web'],
  ]) {
    await store.reconcile({
      entityRef,
      ownerRef: owner,
      findings: [finding(entityRef.split('/')[1])],
      seenAt: new Date(),
      complete: true,
    });
  }
  const permissions = mockServices.permissions.mock({
    authorize: async requests => requests.map(() => ({ result: diagnose })),
    authorizeConditional: async requests => requests.map(() => decision),
  });
  return new AuthorizedFindingReader({
    store,
    permissions,
    access: new EntityReadAccess({
      permissions,
      catalog: catalogServiceMock({
        entities: [
          component('checkout'),
          component('storefront', 'group:default/team-web'),
        ],
      }),
      rules: rulesetOf(entityRules),
    }),
  });
}

const refs = (items: Array<{ entityRef: string }>) =>
  items.map(i => i.entityRef).sort();

describe('AuthorizedFindingReader', () => {
  it('lists every finding for an unconditional allow', async () => {
    const reader = await setup({ result: AuthorizeResult.ALLOW });
    expect(refs(await reader.list({}, { credentials: alice }))).toEqual([
      CHECKOUT,
      STOREFRONT,
    ]);
  });

  it('narrows lists to the owned entities for a conditional decision', async () => {
    const reader = await setup(
      createKubecopilotEntityConditionalDecision(
        kubecopilotDiagnosisReadPermission,
        is.isEntityOwner({ claims: ['group:default/team-web'] }),
      ),
    );
    expect(refs(await reader.list({}, { credentials: alice }))).toEqual([
      STOREFRONT,
    ]);
    expect(
      await reader.list({ entityRef: CHECKOUT }, { credentials: alice }),
    ).toEqual([]);
    expect(
      refs(
        await reader.list({ entityRef: STOREFRONT }, { credentials: alice }),
      ),
    ).toEqual([STOREFRONT]);
  });

  it('refuses a denied diagnosis read, and a caller who may not diagnose', async () => {
    const denied = await setup({ result: AuthorizeResult.DENY });
    await expect(denied.list({}, { credentials: alice })).rejects.toThrow(
      /kubecopilot\.diagnosis\.read/,
    );
    const noDiagnose = await setup(
      { result: AuthorizeResult.ALLOW },
      AuthorizeResult.DENY,
    );
    await expect(
      noDiagnose.list({}, { credentials: alice }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });
});
