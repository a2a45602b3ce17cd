import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import {
  RESOURCE_TYPE_KUBECOPILOT_ENTITY,
  RESOURCE_TYPE_KUBECOPILOT_PLAN,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { PlanFilter, StoredPlan } from '../plans/types';

/** The `kubecopilot-plan` permission resource: a stored plan, queried with {@link PlanFilter}s. */
export const planResourceRef = createPermissionResourceRef<
  StoredPlan,
  PlanFilter
>().with({
  pluginId: 'kubecopilot',
  resourceType: RESOURCE_TYPE_KUBECOPILOT_PLAN,
});

/**
 * The `kubecopilot-entity` resource: the catalog entity an audit entry or a
 * stored diagnosis is about, as the catalog knows it now.
 */
export interface EntityResource {
  /** Lower-cased, as the stores keep it. */
  entityRef: string;
  /** Targets of the entity's `ownedBy` relations, lower-cased; none for an entity the catalog does not (or no longer) hold. */
  ownerRefs: string[];
}

/**
 * The query form of an entity rule. Ownership lives in the catalog, not in
 * this plugin's tables, so `ownedBy` is turned into entity refs (one catalog
 * query) before it reaches SQL; see `EntityReadAccess`.
 */
export type EntityQuery = { entityRefs: string[] } | { ownedBy: string[] };

export const entityResourceRef = createPermissionResourceRef<
  EntityResource,
  EntityQuery
>().with({
  pluginId: 'kubecopilot',
  resourceType: RESOURCE_TYPE_KUBECOPILOT_ENTITY,
});
