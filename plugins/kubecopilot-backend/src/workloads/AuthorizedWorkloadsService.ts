import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  kubecopilotDiagnosePermission,
  WorkloadsResponse,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { WorkloadsService } from './types';

/**
 * Requires `kubecopilot.diagnose` before reading workloads. Checked before
 * the catalog lookup, so a denied user cannot probe which entities exist.
 */
export class AuthorizedWorkloadsService implements WorkloadsService {
  constructor(
    private readonly inner: WorkloadsService,
    private readonly permissions: PermissionsService,
  ) {}

  async getWorkloads(
    entityRef: CompoundEntityRef,
    options: { credentials: BackstageCredentials; relations?: boolean },
  ): Promise<WorkloadsResponse> {
    const [decision] = await this.permissions.authorize(
      [{ permission: kubecopilotDiagnosePermission }],
      { credentials: options.credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to read the workloads of ${stringifyEntityRef(entityRef)}`,
      );
    }
    return this.inner.getWorkloads(entityRef, options);
  }
}
