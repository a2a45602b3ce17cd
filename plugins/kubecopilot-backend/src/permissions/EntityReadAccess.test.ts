import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { kubecopilotAuditReadPermission } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { component } from '../__testUtils__/demoBackend';
import { CapturingLogger } from '../diagnosis/__testUtils__/CapturingLogger';
import {
  createKubecopilotEntityConditionalDecision,
  kubecopilotEntityConditions as is,
} from './conditions';
import { EntityReadAccess } from './EntityReadAccess';
import { entityRules } from './rules';
import { rulesetOf } from './ruleset';

const alice = mockCredentials.user('user:default/alice');
const conditional = (
  conditions: Parameters<typeof createKubecopilotEntityConditionalDecision>[1],
) =>
  createKubecopilotEntityConditionalDecision(
    kubecopilotAuditReadPermission,
    conditions,
  );

// 1,200 entities of the web team: more than one page of the catalog.
const webApps = Array.from({ length: 1_200 }, (_, i) =>
  component(`web-${String(i).padStart(4, '0')}`, 'group:default/team-web'),
);
const entities = [
  component('checkout'),
  component('storefront'),
  component('orphan', 'group:default/gone'),
  ...webApps,
];

function setup(options: { maxOwnedEntities?: number } = {}) {
  const catalog = catalogServiceMock({ entities });
  const queries = jest.spyOn(catalog, 'queryEntities');
  const logger = new CapturingLogger();
  const access = new EntityReadAccess({
    permissions: mockServices.permissions(),
    catalog,
    rules: rulesetOf(entityRules),
    logger,
    ...options,
  });
  return { access, queries, logger };
}

describe('EntityReadAccess', () => {
  it('turns definitive decisions into no filter, or one that matches nothing', async () => {
    const { access, queries } = setup();
    await expect(
      access.toFilter({ result: AuthorizeResult.ALLOW }, alice),
    ).resolves.toBeUndefined();
    await expect(
      access.toFilter({ result: AuthorizeResult.DENY }, alice),
    ).resolves.toEqual({ column: 'entity_ref', values: [] });
    expect(queries).not.toHaveBeenCalled();
  });

  it('resolves ownership to entity refs through the catalog, as the caller, page by page', async () => {
    const { access, queries } = setup();
    const filter = await access.toFilter(
      conditional(is.isEntityOwner({ claims: ['Group:default/Team-Web'] })),
      alice,
    );
    expect(filter).toEqual({
      column: 'entity_ref',
      values: webApps.map(e => `component:default/${e.metadata.name}`),
    });
    expect(queries).toHaveBeenCalledTimes(3);
    expect(queries.mock.calls[0]).toEqual([
      expect.objectContaining({
        filter: { 'relations.ownedBy': ['group:default/team-web'] },
      }),
      { credentials: alice },
    ]);
  });

  it('keeps the shape of nested conditions', async () => {
    const { access } = setup();
    await expect(
      access.toFilter(
        conditional({
          anyOf: [
            is.isEntityOwner({ claims: ['group:default/team-shop'] }),
            {
              allOf: [
                is.isEntityRef({ entityRefs: ['Component:default/Orphan'] }),
                { not: is.isEntityOwner({ claims: [] }) },
              ],
            },
          ],
        }),
        alice,
      ),
    ).resolves.toEqual({
      anyOf: [
        {
          column: 'entity_ref',
          values: [
            'component:default/checkout',
            'component:default/storefront',
          ],
        },
        {
          allOf: [
            { column: 'entity_ref', values: ['component:default/orphan'] },
            { not: { column: 'entity_ref', values: [] } },
          ],
        },
      ],
    });
  });

  it('bounds what one ownership condition stands for, and says so', async () => {
    const { access, logger } = setup({ maxOwnedEntities: 700 });
    const filter = (await access.toFilter(
      conditional(is.isEntityOwner({ claims: ['group:default/team-web'] })),
      alice,
    )) as { values: string[] };
    expect(filter.values).toHaveLength(700);
    expect(logger.lines.join('\n')).toMatch(
      /group:default\/team-web own more than 700 entities/,
    );
  });

  it.each<[string, PolicyDecision, Record<string, boolean>]>([
    [
      'allow',
      { result: AuthorizeResult.ALLOW },
      { checkout: true, web: true, unknown: true },
    ],
    [
      'deny',
      { result: AuthorizeResult.DENY },
      { checkout: false, web: false, unknown: false },
    ],
    [
      'owner',
      conditional(is.isEntityOwner({ claims: ['group:default/team-shop'] })),
      { checkout: true, web: false, unknown: false },
    ],
    [
      'not owner',
      conditional({
        not: is.isEntityOwner({ claims: ['group:default/team-shop'] }),
      }),
      { checkout: false, web: true, unknown: true },
    ],
    [
      'entity ref (records outlive their entity)',
      conditional(
        is.isEntityRef({ entityRefs: ['component:default/deleted-long-ago'] }),
      ),
      { checkout: false, web: false, unknown: true },
    ],
  ])('decides for one entity: %s', async (_name, decision, expected) => {
    const { access } = setup();
    const refs = {
      checkout: 'component:default/checkout',
      web: 'component:default/web-0007',
      unknown: 'component:default/deleted-long-ago',
    };
    for (const [key, ref] of Object.entries(refs)) {
      await expect(access.allows(decision, ref, alice)).resolves.toBe(
        expected[key],
      );
    }
  });
});
