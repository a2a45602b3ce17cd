import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { WorkloadsResponse } from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** An entity's workloads across clusters. */
export interface WorkloadsService {
  /**
   * @throws NotFoundError when the entity does not exist (or is not visible
   * to the caller); NotAllowedError without permission.
   */
  getWorkloads(
    entityRef: CompoundEntityRef,
    options: {
      credentials: BackstageCredentials;
      /**
       * Also report each workload's ConfigMaps and Secrets and the entity's
       * Ingresses (`config`, `ingresses`): more reads, so only when asked.
       */
      relations?: boolean;
    },
  ): Promise<WorkloadsResponse>;
}
