import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  Diagnosis,
  kubecopilotDiagnosePermission,
  kubecopilotDiagnosisReadPermission,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { EntityReadAccess } from '../permissions/EntityReadAccess';
import {
  DiagnoseOptions,
  DiagnosisService,
  ListDiagnosesOptions,
} from './types';

/**
 * Requires `kubecopilot.diagnose` before diagnosing or listing diagnoses,
 * and `kubecopilot.diagnosis.read` for the entity before listing its stored
 * diagnoses (they hold log excerpts). Checked before anything is read, so a
 * denied caller cannot probe which entities exist.
 */
export class AuthorizedDiagnosisService implements DiagnosisService {
  constructor(
    private readonly inner: DiagnosisService,
    private readonly permissions: PermissionsService,
    private readonly access: EntityReadAccess,
  ) {}

  async diagnose(
    entityRef: string,
    options: DiagnoseOptions,
  ): Promise<Diagnosis> {
    await this.authorize(options.credentials, `diagnose ${entityRef}`);
    return this.inner.diagnose(entityRef, options);
  }

  async listDiagnoses(
    entityRef: string,
    options: ListDiagnosesOptions,
  ): Promise<Diagnosis[]> {
    const what = `read the diagnoses of ${entityRef}`;
    await this.authorize(options.credentials, what);
    const decision = await this.access.decide(
      kubecopilotDiagnosisReadPermission,
      options.credentials,
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `Not allowed to ${what} (${kubecopilotDiagnosisReadPermission.name})`,
      );
    }
    // Like a list filtered by the policy: nothing, and no hint whether the
    // entity exists, for an entity the conditions do not match.
    if (!(await this.access.allows(decision, entityRef, options.credentials))) {
      return [];
    }
    return this.inner.listDiagnoses(entityRef, options);
  }

  private async authorize(credentials: BackstageCredentials, what: string) {
    const [decision] = await this.permissions.authorize(
      [{ permission: kubecopilotDiagnosePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed to ${what}`);
    }
  }
}
