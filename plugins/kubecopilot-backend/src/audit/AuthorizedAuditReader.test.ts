import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { kubecopilotAuditReadPermission } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { component } from '../__testUtils__/demoBackend';
import { makePlan } from '../__testUtils__/plans';
import {
  createKubecopilotEntityConditionalDecision,
  kubecopilotEntityConditions as is,
} from '../permissions/conditions';
import { EntityReadAccess } from '../permissions/EntityReadAccess';
import { entityRules } from '../permissions/rules';
import { rulesetOf } from '../permissions/ruleset';
import { PlanReader } from '../plans/types';
import { AuthorizedAuditReader } from './AuthorizedAuditReader';
import { DatabaseAuditStore } from './DatabaseAuditStore';

jest.setTimeout(60_000);

const CHECKOUT = 'component:default/checkout';
const STOREFRONT = 'component:default/storefront';
const alice = mockCredentials.user('user:default/alice');

const ownerOf = (...claims: string[]) =>
  createKubecopilotEntityConditionalDecision(
    kubecopilotAuditReadPermission,
    is.isEntityOwner({ claims }),
  );

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function setup(decision: PolicyDecision) {
  const store = await DatabaseAuditStore.create({
    database: mockServices.database({
      knex: await databases.init('SQLITE_3'),
    }),
  });
  const entries: Array<[string, string, string?]> = [
    [CHECKOUT, 'plan.created', 'p-checkout'],
    [STOREFRONT, 'plan.created', 'p-storefront'],
    [CHECKOUT, 'diagnosis.created'],
    ['', 'chain.checkpoint'],
    [STOREFRONT, 'diagnosis.created'],
    [CHECKOUT, 'plan.approved', 'p-checkout'],
  ];
  for (const [entityRef, action, planId] of entries) {
    await store.append({ entityRef, action, planId, actor: 'user:default/a' });
  }
  const permissions = mockServices.permissions.mock({
    authorizeConditional: async requests => requests.map(() => decision),
  });
  // Plan reads answer like AuthorizedPlanReader: the plan, 403 or 404.
  const plans = {
    listPlans: jest.fn(),
    getPlan: jest.fn(async (id: string) => {
      if (id === 'p-secret') throw new NotAllowedError('no plan for you');
      if (id === 'p-checkout') return makePlan({ id, entityRef: CHECKOUT });
      if (id === 'p-storefront') return makePlan({ id, entityRef: STOREFRONT });
      throw new NotFoundError(`Plan '${id}' not found`);
    }),
  };
  const reader = new AuthorizedAuditReader({
    store,
    plans: plans as PlanReader,
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
  const list = async (query: Parameters<typeof reader.list>[0]) =>
    (await reader.list(query, { credentials: alice })).items.map(
      e => `${e.entityRef || '-'} ${e.action}`,
    );
  return { reader, list, store, plans };
}

describe('AuthorizedAuditReader', () => {
  it('refuses a denied caller before reading anything', async () => {
    const { reader, plans } = await setup({ result: AuthorizeResult.DENY });
    const store = jest.spyOn(DatabaseAuditStore.prototype, 'listPage');
    await expect(
      reader.list({ limit: 10, planId: 'p-checkout' }, { credentials: alice }),
    ).rejects.toThrow(/not allowed to read the audit log/);
    await expect(reader.verify({ credentials: alice })).rejects.toThrow(
      NotAllowedError,
    );
    expect(plans.getPlan).not.toHaveBeenCalled();
    expect(store).not.toHaveBeenCalled();
    store.mockRestore();
  });

  it('shows everything, entries about no entity included, to an unconditional reader', async () => {
    const { list, reader } = await setup({ result: AuthorizeResult.ALLOW });
    await expect(list({ limit: 10 })).resolves.toEqual([
      `${CHECKOUT} plan.approved`,
      `${STOREFRONT} diagnosis.created`,
      '- chain.checkpoint',
      `${CHECKOUT} diagnosis.created`,
      `${STOREFRONT} plan.created`,
      `${CHECKOUT} plan.created`,
    ]);
    await expect(reader.verify({ credentials: alice })).resolves.toMatchObject({
      ok: true,
      checked: 6,
    });
  });

  it('shows an owner the entries of their entities only, in full pages', async () => {
    const { reader, list } = await setup(ownerOf('group:default/Team-Shop'));
    await expect(list({ limit: 10 })).resolves.toEqual([
      `${CHECKOUT} plan.approved`,
      `${CHECKOUT} diagnosis.created`,
      `${CHECKOUT} plan.created`,
    ]);
    const first = await reader.list({ limit: 2 }, { credentials: alice });
    expect(first.items).toHaveLength(2);
    const second = await reader.list(
      { limit: 2, cursor: first.nextCursor },
      { credentials: alice },
    );
    expect(second.items.map(e => e.action)).toEqual(['plan.created']);
    expect(second.nextCursor).toBeUndefined();
    await expect(
      list({ limit: 10, entityRef: CHECKOUT }),
    ).resolves.toHaveLength(3);
    await expect(list({ limit: 10, entityRef: STOREFRONT })).resolves.toEqual(
      [],
    );
    // Whether the chain holds is no entry's content.
    await expect(reader.verify({ credentials: alice })).resolves.toMatchObject({
      ok: true,
      checked: 6,
    });
  });

  it("answers a plan's entries only to who may read both the plan and its entity", async () => {
    const { list } = await setup(ownerOf('group:default/team-shop'));
    await expect(list({ limit: 10, planId: 'p-checkout' })).resolves.toEqual([
      `${CHECKOUT} plan.approved`,
      `${CHECKOUT} plan.created`,
    ]);
    // The plan is readable (say, by namespace), its entity is not the caller's.
    await expect(list({ limit: 10, planId: 'p-storefront' })).resolves.toEqual(
      [],
    );
    // As GET /plans/:id answers.
    await expect(list({ limit: 10, planId: 'p-secret' })).rejects.toThrow(
      NotAllowedError,
    );
    await expect(list({ limit: 10, planId: 'p-nope' })).rejects.toThrow(
      NotFoundError,
    );
    // A plan of one entity asked for with another entity's ref: nothing.
    await expect(
      list({ limit: 10, planId: 'p-checkout', entityRef: STOREFRONT }),
    ).resolves.toEqual([]);
  });

  it('never shows an entry about no entity under conditions, even negated ones', async () => {
    const { list } = await setup(
      createKubecopilotEntityConditionalDecision(
        kubecopilotAuditReadPermission,
        {
          not: is.isEntityRef({ entityRefs: [CHECKOUT] }),
        },
      ),
    );
    await expect(list({ limit: 10 })).resolves.toEqual([
      `${STOREFRONT} diagnosis.created`,
      `${STOREFRONT} plan.created`,
    ]);
  });
});
