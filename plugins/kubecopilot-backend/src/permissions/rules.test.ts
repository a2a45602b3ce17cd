import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import { makePlan } from '../__testUtils__/plans';
import { DatabasePlanStore } from '../plans/DatabasePlanStore';
import { StoredPlan } from '../plans/types';
import {
  kubecopilotEntityConditions,
  kubecopilotPlanConditions as is,
} from './conditions';
import { EntityResource } from './resource';
import { entityRules, planRules } from './rules';
import { rulesetOf } from './ruleset';

jest.setTimeout(60_000);

const ruleset = rulesetOf(planRules);
const isAllowed = createConditionAuthorizer(ruleset);
const toFilter = createConditionTransformer(ruleset);

const plans: StoredPlan[] = [
  {
    plan: makePlan({
      id: 'a',
      risk: 'low',
      namespace: 'shop',
      cluster: 'east',
    }),
    ownerRef: 'group:default/shop',
  },
  {
    plan: makePlan({
      id: 'b',
      risk: 'high',
      namespace: 'prod',
      cluster: 'west',
      requestedBy: 'user:default/Bob',
    }),
    ownerRef: 'group:default/payments',
  },
  {
    plan: makePlan({
      id: 'c',
      risk: 'medium',
      namespace: null,
      cluster: 'east',
    }),
  },
];

const cases: Array<
  [string, PermissionCriteria<PermissionCondition>, string[]]
> = [
  ['isRiskLevel', is.isRiskLevel({ levels: ['low', 'medium'] }), ['a', 'c']],
  [
    'isInNamespace',
    is.isInNamespace({ namespaces: ['shop', 'prod'] }),
    ['a', 'b'],
  ],
  [
    'not isInNamespace',
    { not: is.isInNamespace({ namespaces: ['shop'] }) },
    ['b', 'c'],
  ],
  ['isInCluster', is.isInCluster({ clusters: ['east'] }), ['a', 'c']],
  [
    'isEntityOwner (case-insensitive)',
    is.isEntityOwner({ claims: ['user:default/alice', 'group:default/Shop'] }),
    ['a'],
  ],
  [
    'not isEntityOwner',
    { not: is.isEntityOwner({ claims: ['group:default/shop'] }) },
    ['b', 'c'],
  ],
  ['isRequester', is.isRequester({ claims: ['user:default/bob'] }), ['b']],
  [
    'owner, or low risk outside prod',
    {
      anyOf: [
        is.isEntityOwner({ claims: ['group:default/payments'] }),
        {
          allOf: [
            is.isRiskLevel({ levels: ['low'] }),
            { not: is.isInNamespace({ namespaces: ['prod'] }) },
          ],
        },
      ],
    },
    ['a', 'b'],
  ],
];

describe('plan permission rules', () => {
  it.each(cases)(
    '%s: apply() allows the expected plans',
    (_name, conditions, expected) => {
      const decision: PolicyDecision = {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'kubecopilot',
        resourceType: 'kubecopilot-plan',
        conditions,
      };
      expect(
        plans.filter(p => isAllowed(decision, p)).map(p => p.plan.id),
      ).toEqual(expected);
    },
  );

  it('rejects params that do not fit the schema', () => {
    expect(
      planRules.isRiskLevel.paramsSchema?.['~standard'].validate({
        levels: ['catastrophic'],
      }),
    ).toMatchObject({ issues: expect.any(Array) });
  });

  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  describe.each(databases.eachSupportedId())('toQuery() on %p', id => {
    it('selects exactly what apply() allows', async () => {
      const store = await DatabasePlanStore.create({
        database: mockServices.database({ knex: await databases.init(id) }),
      });
      for (const { plan, ownerRef } of plans) {
        await store.createPlan(plan, { ownerRef });
      }
      for (const [, conditions, expected] of cases) {
        const page = await store.listPlans({
          limit: 10,
          filter: toFilter(conditions),
        });
        // The store lists newest first; all fixtures share a timestamp.
        expect(page.items.map(i => i.plan.id).sort()).toEqual(expected);
      }
    });
  });
});

describe('entity permission rules', () => {
  const entities: EntityResource[] = [
    {
      entityRef: 'component:default/checkout',
      ownerRefs: ['group:default/shop'],
    },
    {
      entityRef: 'component:default/storefront',
      ownerRefs: ['group:default/web', 'user:default/bob'],
    },
    { entityRef: 'component:default/gone', ownerRefs: [] },
  ];
  const entityRuleset = rulesetOf(entityRules);
  const allows = createConditionAuthorizer(entityRuleset);
  const entityQuery = createConditionTransformer(entityRuleset);
  const on = kubecopilotEntityConditions;

  it.each<[string, PermissionCriteria<PermissionCondition>, string[]]>([
    [
      'isEntityOwner (case-insensitive)',
      on.isEntityOwner({ claims: ['User:default/Bob', 'group:default/SHOP'] }),
      ['checkout', 'storefront'],
    ],
    [
      'not isEntityOwner',
      { not: on.isEntityOwner({ claims: ['group:default/shop'] }) },
      ['storefront', 'gone'],
    ],
    [
      'isEntityRef (case-insensitive)',
      on.isEntityRef({ entityRefs: ['Component:default/Gone'] }),
      ['gone'],
    ],
  ])(
    '%s: apply() allows the expected entities',
    (_name, conditions, expected) => {
      const decision: PolicyDecision = {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'kubecopilot',
        resourceType: 'kubecopilot-entity',
        conditions,
      };
      expect(
        entities
          .filter(e => allows(decision, e))
          .map(e => e.entityRef.split('/')[1]),
      ).toEqual(expected);
    },
  );

  it('toQuery() lower-cases refs; ownership stays a claim list for the catalog', () => {
    expect(
      entityQuery({
        allOf: [
          on.isEntityOwner({ claims: ['Group:default/Shop'] }),
          on.isEntityRef({ entityRefs: ['Component:default/Checkout'] }),
        ],
      }),
    ).toEqual({
      allOf: [
        { ownedBy: ['group:default/shop'] },
        { entityRefs: ['component:default/checkout'] },
      ],
    });
  });
});
