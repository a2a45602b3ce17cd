import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { WorkloadsResponse } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { KubernetesBackendClient } from '../kubernetes/types';
import { readRelations, workloadKey } from './readRelations';
import { summarizeWorkloads } from './summarize';
import { WorkloadsService } from './types';

/** Reads an entity's workloads through the Kubernetes backend, as the user. */
export class KubernetesWorkloadsService implements WorkloadsService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      kubernetes: KubernetesBackendClient;
    },
  ) {}

  async getWorkloads(
    entityRef: CompoundEntityRef,
    options: { credentials: BackstageCredentials; relations?: boolean },
  ): Promise<WorkloadsResponse> {
    const ref = stringifyEntityRef(entityRef);
    // The Kubernetes backend answers an unknown entity with a 400; the
    // catalog lets us say 404, and hides entities the user may not see.
    const entity = await this.deps.catalog.getEntityByRef(entityRef, options);
    if (!entity) {
      throw new NotFoundError(`Entity '${ref}' not found`);
    }
    const objects = await this.deps.kubernetes.getObjectsByEntity(
      stringifyEntityRef(entity),
      { credentials: options.credentials },
    );
    const summary = summarizeWorkloads(stringifyEntityRef(entity), objects);
    if (!options.relations) return summary;
    // ConfigMaps, Secrets (key names only) and Ingress routes, checked for
    // existence; each read is bounded and a failed one leaves `exists: null`.
    const relations = await readRelations({
      objects,
      kubernetes: this.deps.kubernetes,
      credentials: options.credentials,
    });
    return {
      ...summary,
      workloads: summary.workloads.map(w => {
        const config = relations.config.get(
          workloadKey(w.cluster, w.kind, w.namespace, w.name),
        );
        return config ? { ...w, config } : w;
      }),
      ingresses: relations.ingresses,
    };
  }
}
