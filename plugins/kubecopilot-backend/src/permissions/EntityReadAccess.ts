import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  PermissionCriteria,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionAuthorizer,
  createConditionTransformer,
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ColumnFilter } from '../database/columnFilter';
import { loadEntityResources } from './entityResources';
import { EntityQuery, EntityResource } from './resource';

type NonEmptyArray<T> = [T, ...T[]];

/** A store filter on the entity a record is about. */
export type EntityRefFilter = ColumnFilter<'entity_ref'>;

/**
 * How many entities one ownership condition may stand for in a list query.
 * Beyond it the list covers the first ones only (and says so in the log);
 * filtering by `entityRef` reaches any one of them.
 */
export const MAX_OWNED_ENTITIES = 5_000;
const CATALOG_PAGE = 500;

/**
 * Applies a `kubecopilot-entity` permission (`kubecopilot.audit.read`,
 * `kubecopilot.diagnosis.read`) to reads: for one entity as a yes or no,
 * for lists as a filter the store turns into SQL. Conditions are evaluated
 * here with the entity rules, like `AuthorizedPlanReader` does for plans.
 *
 * Ownership is the catalog's (`ownedBy` relations), read with the caller's
 * credentials: an entity the caller cannot see in the catalog counts as
 * owned by no one.
 */
export class EntityReadAccess {
  private readonly permissions: PermissionsService;
  private readonly catalog: CatalogService;
  private readonly logger?: LoggerService;
  private readonly maxOwnedEntities: number;
  private readonly isAllowed: (
    decision: PolicyDecision,
    entity: EntityResource | undefined,
  ) => boolean;
  private readonly transform: ConditionTransformer<EntityQuery>;

  constructor(options: {
    permissions: PermissionsService;
    catalog: CatalogService;
    rules: PermissionRuleset<EntityResource, EntityQuery>;
    logger?: LoggerService;
    /** Defaults to {@link MAX_OWNED_ENTITIES}. */
    maxOwnedEntities?: number;
  }) {
    this.permissions = options.permissions;
    this.catalog = options.catalog;
    this.logger = options.logger;
    this.maxOwnedEntities = options.maxOwnedEntities ?? MAX_OWNED_ENTITIES;
    this.isAllowed = createConditionAuthorizer(options.rules);
    this.transform = createConditionTransformer(options.rules);
  }

  /** The policy's decision, conditions not yet applied. */
  async decide(
    permission: ResourcePermission<'kubecopilot-entity'>,
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return decision;
  }

  /** Whether the decision lets the caller read the records of one entity. */
  async allows(
    decision: PolicyDecision,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return decision.result === AuthorizeResult.ALLOW;
    }
    const [entity] = await loadEntityResources(
      this.catalog,
      [entityRef],
      credentials,
    );
    return this.isAllowed(decision, entity);
  }

  /**
   * The decision as a store filter: undefined for an unconditional allow,
   * a filter that matches nothing for a denial.
   */
  async toFilter(
    decision: PolicyDecision,
    credentials: BackstageCredentials,
  ): Promise<PermissionCriteria<EntityRefFilter> | undefined> {
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return decision.result === AuthorizeResult.ALLOW
        ? undefined
        : { column: 'entity_ref', values: [] };
    }
    return this.resolve(this.transform(decision.conditions), credentials);
  }

  private async resolve(
    criteria: PermissionCriteria<EntityQuery>,
    credentials: BackstageCredentials,
  ): Promise<PermissionCriteria<EntityRefFilter>> {
    const all = (list: NonEmptyArray<PermissionCriteria<EntityQuery>>) =>
      Promise.all(list.map(c => this.resolve(c, credentials))) as Promise<
        NonEmptyArray<PermissionCriteria<EntityRefFilter>>
      >;
    if (isAndCriteria(criteria)) return { allOf: await all(criteria.allOf) };
    if (isOrCriteria(criteria)) return { anyOf: await all(criteria.anyOf) };
    if (isNotCriteria(criteria)) {
      return { not: await this.resolve(criteria.not, credentials) };
    }
    return {
      column: 'entity_ref',
      values:
        'entityRefs' in criteria
          ? criteria.entityRefs
          : await this.ownedEntities(criteria.ownedBy, credentials),
    };
  }

  /** Refs (lower-cased) of the entities the claims own, as the caller sees the catalog. */
  private async ownedEntities(
    claims: string[],
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    if (claims.length === 0) return [];
    const fields = ['kind', 'metadata.namespace', 'metadata.name'];
    const refs: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.catalog.queryEntities(
        cursor
          ? { cursor, fields, limit: CATALOG_PAGE }
          : {
              filter: { 'relations.ownedBy': claims },
              fields,
              limit: CATALOG_PAGE,
            },
        { credentials },
      );
      for (const entity of page.items) {
        refs.push(stringifyEntityRef(entity).toLocaleLowerCase('en-US'));
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor && refs.length < this.maxOwnedEntities);
    const max = this.maxOwnedEntities;
    if (cursor || refs.length > max) {
      this.logger?.warn(
        `${claims.join(
          ', ',
        )} own more than ${max} entities: lists show the records of the first ${max} only`,
      );
    }
    return refs.slice(0, max);
  }
}
