import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import { RESOURCE_TYPE_KUBECOPILOT_PLAN } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { PlanFilter, StoredPlan } from '../plans/types';

/** The `kubecopilot-plan` permission resource: a stored plan, queried with {@link PlanFilter}s. */
export const planResourceRef = createPermissionResourceRef<
  StoredPlan,
  PlanFilter
>().with({
  pluginId: 'kubecopilot',
  resourceType: RESOURCE_TYPE_KUBECOPILOT_PLAN,
});
